// "Enviar dinero" on the console API: the request read into the wallets module's typed input,
// and the transfer presented with decimal amounts.
import { ValidationError } from '../../kernel/errors.ts';
import { formatAmount, parseAmount, parseCurrency } from '../../kernel/money.ts';
import type { SendMoneyInput, Transfer } from '../../modules/wallets/index.ts';
import { WALLET_MESSAGES } from '../../modules/wallets/index.ts';

export function readTransfer(body: Record<string, unknown>): SendMoneyInput {
  const currency = parseCurrency(body.currency, ['currency']);
  const amountMinor = parseAmount(body.amount, currency, { path: ['amount'] });
  if (typeof body.to !== 'string' || !body.to.trim())
    throw new ValidationError([{ path: ['to'], message: WALLET_MESSAGES.recipient.es, code: 'wallets.recipient' }]);
  const description = typeof body.description === 'string' && body.description.trim() ? body.description.trim().slice(0, 200) : 'Envío de dinero';
  const pin = body.pin === undefined || body.pin === null ? '' : String(body.pin);
  return { to: body.to, amountMinor, currency, pin, description };
}

export function transferWire(t: Transfer) {
  return {
    entryId: t.entryId,
    paymentId: t.paymentId,
    ref: t.ref,
    fee: formatAmount(t.feeMinor, t.currency),
    amount: formatAmount(t.amountMinor, t.currency),
    currency: t.currency,
    fromAccountId: t.fromAccountId,
    toAccountId: t.toAccountId,
    toUsername: t.toUsername,
  };
}
