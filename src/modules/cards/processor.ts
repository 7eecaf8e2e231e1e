// Card authorization goes through a processor: one adapter per network or acquirer, each a
// pure mapping of these requests and answers to its own wire. The sandbox simulator is the one
// adapter shipped; in production, card payments are refused until an adapter is installed
// (installCardProcessor: an adapter added to this code base, in place of the simulator).
//
// The processor is asked inside the command's transaction, after every check of ours (capture and
// refund: after the ledger entry is written): a decline rolls the transaction back and leaves
// nothing changed. An adapter must therefore answer quickly and treat the references as
// idempotency keys — a transaction retried after a conflict asks again.
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../store/db.ts';
import { simulatedAuthorization, type Authorization, type CheckedCard } from './model.ts';

export interface AuthorizationRequest {
  card: Pick<CheckedCard, 'cardNumber' | 'expirationMonth' | 'expirationYear' | 'securityCode' | 'cardholderName'> & { brand: string };
  amountMinor: number;
  currency: string;
  installments: number;
  /** Authorize only (capture later) or authorize and capture at once. */
  capture: boolean;
  /** Our payment id, as the processor's merchant reference. */
  reference: string;
}

/** Capture, cancel and refund answer only whether the processor accepted them. */
export type ProcessorAnswer = { accepted: true } | { accepted: false; reason: string };

export interface CardProcessor {
  readonly name: string;
  authorize(request: AuthorizationRequest): Promise<Authorization>;
  capture(reference: string, amountMinor: number): Promise<ProcessorAnswer>;
  cancel(reference: string): Promise<ProcessorAnswer>;
  /** `refundReference`: this refund's own id, so two equal partial refunds are two refunds. */
  refund(reference: string, refundReference: string, amountMinor: number): Promise<ProcessorAnswer>;
}

/** The sandbox simulator: outcomes by cardholder name (APRO, CONT, CALL, FUND, SECU, EXPI, FORM, OTHE). */
export const SANDBOX_PROCESSOR: CardProcessor = {
  name: 'sandbox',
  authorize: async (request) => simulatedAuthorization(request.card.cardholderName),
  capture: async () => ({ accepted: true }),
  cancel: async () => ({ accepted: true }),
  refund: async () => ({ accepted: true }),
};

const installed = new WeakMap<Store, CardProcessor>();

/** Use this adapter for the deployment's card payments (instead of the sandbox simulator). */
export function installCardProcessor(ctx: Ctx, processor: CardProcessor): void {
  installed.set(ctx.store, processor);
}

/** The deployment's processor: the one installed, else the simulator in sandbox; none in production. */
export function cardProcessor(ctx: Ctx): CardProcessor | undefined {
  return installed.get(ctx.store) ?? (ctx.config.environment === 'sandbox' ? SANDBOX_PROCESSOR : undefined);
}

/** Capture, cancel or refund at the processor; refused when there is none or it declines. */
export async function askProcessor(
  ctx: Ctx,
  action: 'capture' | 'cancel' | 'refund',
  call: (processor: CardProcessor) => Promise<ProcessorAnswer>,
): Promise<void> {
  const processor = cardProcessor(ctx);
  if (!processor) refuse({ code: 'card_processor_missing' });
  const answer = await call(processor);
  if (!answer.accepted) refuse({ code: 'card_processor_declined', action, reason: answer.reason });
}
