// One payout item's fields as the merchant sent them (the wallet API's `multi_payment_item`, or
// a row of an uploaded CSV), checked all at once into the module's typed item.
import { ValidationError, type FieldError } from '../../kernel/errors.ts';
import { parseAmount } from '../../kernel/money.ts';
import { isIdentification, normalizeIdentification } from '../identity/index.ts';
import { checkBankAccount } from './banks.ts';
import { checkAccountName, checkReference, isPayoutType, type PayoutType } from './model.ts';
import { PAYOUT_CURRENCY, type PayoutItemInput } from './register.ts';
import { PAYOUT_MESSAGES } from './rules.ts';

/** Check every field at once, so the answer lists every problem (the type's path is empty). */
export function checkItemFields(typeInput: unknown, input: unknown): PayoutItemInput {
  const errors: FieldError[] = [];
  if (!isPayoutType(typeInput)) errors.push({ path: [], message: PAYOUT_MESSAGES.type.es, code: 'payouts.type' });
  const form = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const reference = checkReference(form.reference, errors, ['reference']);
  const nameAccount = checkAccountName(form.nameAccount, errors, ['nameAccount']);

  const rawIdentification = typeof form.identificationNumber === 'string' ? form.identificationNumber.trim() : '';
  if (!rawIdentification) errors.push({ path: ['identificationNumber'], message: PAYOUT_MESSAGES.required.es, code: 'payouts.required' });
  else if (rawIdentification.length > 20 || !isIdentification(rawIdentification))
    errors.push({ path: ['identificationNumber'], message: PAYOUT_MESSAGES.identification.es, code: 'payouts.identification' });

  const account = checkBankAccount(form.bankAccount);
  if (!account.ok) errors.push({ path: ['bankAccount'], message: account.message, code: account.code });

  let amountMinor = 0;
  try {
    amountMinor = parseAmount(form.amount, PAYOUT_CURRENCY, { path: ['amount'] });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    errors.push(...error.fieldErrors);
  }
  if (errors.length || !account.ok) throw new ValidationError(errors);
  return {
    type: typeInput as PayoutType,
    reference,
    nameAccount,
    identificationNumber: rawIdentification,
    identification: normalizeIdentification(rawIdentification),
    bankAccount: account.account.number,
    bankCode: account.account.bank.code,
    amountMinor,
  };
}
