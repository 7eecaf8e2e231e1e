// Reads the wallet API's `multi_payment_item` form (and the `type` query) into the payouts
// module's typed item, and presents a registered item as the contract's answer.
import { ValidationError, type FieldError } from '../../kernel/errors.ts';
import { parseAmount } from '../../kernel/money.ts';
import { isIdentification, normalizeIdentification } from '../../modules/identity/index.ts';
import {
  checkAccountName,
  checkBankAccount,
  checkReference,
  isPayoutType,
  PAYOUT_CURRENCY,
  PAYOUT_TYPE_MESSAGE,
  type PayoutItemInput,
  type PayoutItemRow,
  type PayoutType,
} from '../../modules/payouts/index.ts';

export const IDENTIFICATION_MESSAGE = 'El número de identificación no es válido: use la letra V, E, J, G o P seguida de los dígitos (por ejemplo J54637469).';

/** Check every field at once, so the answer lists every problem (paths below `multi_payment_item`). */
export function checkItemFields(typeInput: unknown, input: unknown): PayoutItemInput {
  const errors: FieldError[] = [];
  if (!isPayoutType(typeInput)) errors.push({ path: [], message: PAYOUT_TYPE_MESSAGE });
  const form = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const reference = checkReference(form.reference, errors, ['reference']);
  const nameAccount = checkAccountName(form.nameAccount, errors, ['nameAccount']);

  const rawIdentification = typeof form.identificationNumber === 'string' ? form.identificationNumber.trim() : '';
  if (!rawIdentification) errors.push({ path: ['identificationNumber'], message: 'Este valor no debería estar vacío.' });
  else if (rawIdentification.length > 20 || !isIdentification(rawIdentification))
    errors.push({ path: ['identificationNumber'], message: IDENTIFICATION_MESSAGE });

  const account = checkBankAccount(form.bankAccount);
  if (!account.ok) errors.push({ path: ['bankAccount'], message: account.message });

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

/** The contract's answer to register-item. */
export function registeredItemWire(item: PayoutItemRow) {
  return { ref: item.ref, identification_number: item.identification_number, status: item.state };
}
