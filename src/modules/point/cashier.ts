// The sandbox cashier (POST /sandbox/point/payment-intents/{id}/process): what a person does on
// the virtual terminal, through the very calls the device-side API makes — take the intent,
// read a public test card with the cardholder name that picks the outcome, pay, confirm.
import { NotFoundError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { TEST_CARDS } from '../cards/index.ts';
import type { PointIntent } from './model.ts';
import { POINT_MESSAGES } from './rules.ts';
import { findDevice, findIntent } from './repo.ts';
import { confirmIntent, payIntent, readCard, takeIntent } from './terminal.ts';

export async function processAsCashier(ctx: Ctx, ownerUserId: string, intentId: string, cardholder = 'APRO'): Promise<PointIntent> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  const intent = await findIntent(ctx.store.db, intentId);
  if (!intent || intent.owner_user_id !== ownerUserId) throw new NotFoundError(POINT_MESSAGES.intentNotFound.es, 'point.intentNotFound');
  const device = await findDevice(ctx.store.db, intent.device_id);
  if (!device || device.status !== 'linked' || device.owner_user_id !== ownerUserId) refuse({ code: 'point_device_not_linked' });
  if (intent.state === 'OPEN') await takeIntent(ctx, device, intentId);
  const card = TEST_CARDS[0];
  const year = new Date(await ctx.clock.now()).getUTCFullYear() + 3;
  const token = await readCard(ctx, device, intentId, {
    card_number: card.number,
    expiration_month: 11,
    expiration_year: year,
    security_code: card.securityCode,
    cardholder: { name: cardholder },
  });
  const paid = await payIntent(ctx, device, intentId, token.id);
  return paid.state === 'PROCESSED' ? confirmIntent(ctx, device, intentId) : paid;
}
