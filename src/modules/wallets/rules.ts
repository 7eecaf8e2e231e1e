// The wallet forms' rules, pure: "enviar dinero", the PIN form and the sandbox top-up. The
// server checks them (src/http/console-api/transfer-wire.ts) and the web console checks the
// same ones in the browser, so both say the same thing; the console shows the English text
// when its English switch is on (server answers listed here are translated the same way).
import type { FieldError } from '../../kernel/errors.ts';
import { isCurrency, parseAmount, type Currency } from '../../kernel/money.ts';
import { COMMON_MESSAGES, type RuleLang } from '../../kernel/messages.ts';

export const WALLET_MESSAGES = {
  recipient: { es: 'Debe indicar el destinatario.', en: 'Enter who receives the money.' },
  // parseAmount's words (src/kernel/money.ts; sent with their common.* codes).
  amountEmpty: COMMON_MESSAGES.required,
  amountInvalid: COMMON_MESSAGES.amountInvalid,
  amountPositive: COMMON_MESSAGES.amountPositive,
  amountDecimals: COMMON_MESSAGES.amountDecimals,
  amountTooBig: COMMON_MESSAGES.amountTooBig,
  currency: { es: 'La moneda no es válida.', en: 'The currency is not valid.' },
  // Only the server can tell these; listed so the console can translate them.
  pinLocked: {
    es: 'El PIN de operaciones está bloqueado por intentos fallidos. Debe restablecerlo.',
    en: 'The operations PIN is locked after failed attempts. Set it again to unlock it.',
  },
  pinNotSet: { es: 'El usuario no tiene un PIN de operaciones configurado.', en: 'You have no operations PIN yet.' },
  recipientUnknown: { es: 'El destinatario no existe.', en: 'There is no such recipient.' },
  sameAccount: { es: 'No puede enviarse dinero a sí mismo.', en: 'You cannot send money to yourself.' },
  noFundsTransfer: { es: 'Saldo insuficiente para realizar este envío de dinero.', en: 'Not enough balance for this transfer.' },
  noFundsPayment: { es: 'Saldo insuficiente para realizar este pago.', en: 'Not enough balance for this payment.' },
  requestGone: { es: 'La solicitud de pago no existe.', en: 'This payment request does not exist.' },
  requestPaid: { es: 'La intención de pago ya fue ejecutada.', en: 'This request was already paid.' },
  requestExpired: { es: 'La intención de pago venció.', en: 'This request expired.' },
  requestRejected: { es: 'El pagador rechazó la intención de pago.', en: 'This request was declined.' },
  intentId: { es: 'Debe indicar el id.', en: 'Give the id.' },
  accountUnknown: { es: 'La cuenta no existe.', en: 'There is no such account.' },
  intentNotFound: { es: 'La intención de pago no existe.', en: 'This payment intent does not exist.' },
  payerUnknown: { es: 'El pagador no existe.', en: 'There is no such payer.' },
  tooManyAttempts: { es: 'Demasiados intentos fallidos. Intente de nuevo en unos minutos.', en: 'Too many failed attempts. Try again in a few minutes.' },
} as const satisfies Record<string, Record<RuleLang, string>>;

/** An amount's problem in `lang`, with its code (parseAmount speaks Spanish and names the common.* code). */
function amountProblem(amount: unknown, currency: Currency, lang: RuleLang): FieldError | undefined {
  try {
    parseAmount(amount, currency);
    return undefined;
  } catch (error) {
    const code = (error as { fieldErrors?: FieldError[] }).fieldErrors?.[0]?.code ?? 'common.amountInvalid';
    const key = code.slice('common.'.length);
    const said = Object.hasOwn(COMMON_MESSAGES, key) ? COMMON_MESSAGES[key as keyof typeof COMMON_MESSAGES] : COMMON_MESSAGES.amountInvalid;
    return { path: ['amount'], message: said[lang], code };
  }
}

export interface TransferFields {
  to: string;
  amount: string;
  currency: string;
  pin?: string;
}

/** "Enviar dinero" as the form sends it: what is wrong with it, field by field (the PIN: pinProblems of the identity rules). */
export function transferProblems(input: Partial<TransferFields>, lang: RuleLang = 'es'): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.to !== 'string' || !input.to.trim()) errors.push({ path: ['to'], message: WALLET_MESSAGES.recipient[lang], code: 'wallets.recipient' });
  const currency = (input.currency || 'VES').toUpperCase();
  if (!isCurrency(currency)) errors.push({ path: ['currency'], message: WALLET_MESSAGES.currency[lang], code: 'wallets.currency' });
  else {
    const amount = amountProblem(input.amount, currency, lang);
    if (amount) errors.push(amount);
  }
  return errors;
}

/** The sandbox top-up form. */
export function topUpProblems(input: { amount?: string; currency?: string }, lang: RuleLang = 'es'): FieldError[] {
  const currency = (input.currency || 'VES').toUpperCase();
  if (!isCurrency(currency)) return [{ path: ['currency'], message: WALLET_MESSAGES.currency[lang], code: 'wallets.currency' }];
  const amount = amountProblem(input.amount, currency, lang);
  return amount ? [amount] : [];
}
