// The rules of a card, without I/O: brand from the BIN, Luhn, lengths by brand, expiry, the
// cardholder and the document, each failure named by the data-entry code the card family
// answers with (cause[].code); and the sandbox simulator's outcomes.

export type PaymentTypeId = 'credit_card' | 'debit_card';

export interface Brand {
  id: string;
  name: string;
  paymentTypeId: PaymentTypeId;
  /** Accepted card number lengths. */
  lengths: readonly number[];
  securityCodeLength: number;
  securityCodeLocation: 'back' | 'front';
  /** Does a card number belong to the brand (by its first digits)? */
  matches(digits: string): boolean;
  binPattern: string;
}

const prefix = (digits: string, from: number, to: number, size: number) => {
  const head = Number(digits.slice(0, size));
  return digits.length >= size && head >= from && head <= to;
};

// Debit BINs of the public test ranges; a real processor tells debit from credit itself.
const DEBIT_VISA_BINS = ['400276', '400615', '402789', '417006', '421355', '425945', '426357', '434543', '454789', '492145'];
const DEBIT_MASTER_BINS = ['502121', '516135', '517562', '526940', '554943'];

export const BRANDS: readonly Brand[] = [
  {
    id: 'amex',
    name: 'American Express',
    paymentTypeId: 'credit_card',
    lengths: [15],
    securityCodeLength: 4,
    securityCodeLocation: 'front',
    matches: (d) => /^3[47]/.test(d),
    binPattern: '^3[47]',
  },
  {
    id: 'debvisa',
    name: 'Visa Débito',
    paymentTypeId: 'debit_card',
    lengths: [16],
    securityCodeLength: 3,
    securityCodeLocation: 'back',
    matches: (d) => DEBIT_VISA_BINS.includes(d.slice(0, 6)),
    binPattern: `^(${DEBIT_VISA_BINS.join('|')})`,
  },
  {
    id: 'visa',
    name: 'Visa',
    paymentTypeId: 'credit_card',
    lengths: [13, 16, 19],
    securityCodeLength: 3,
    securityCodeLocation: 'back',
    matches: (d) => d.startsWith('4'),
    binPattern: '^4',
  },
  {
    id: 'debmaster',
    name: 'Mastercard Débito',
    paymentTypeId: 'debit_card',
    lengths: [16],
    securityCodeLength: 3,
    securityCodeLocation: 'back',
    matches: (d) => DEBIT_MASTER_BINS.includes(d.slice(0, 6)),
    binPattern: `^(${DEBIT_MASTER_BINS.join('|')})`,
  },
  {
    id: 'master',
    name: 'Mastercard',
    paymentTypeId: 'credit_card',
    lengths: [16],
    securityCodeLength: 3,
    securityCodeLocation: 'back',
    matches: (d) => prefix(d, 51, 55, 2) || prefix(d, 2221, 2720, 4) || /^50/.test(d),
    binPattern: '^(5[0-5]|2(22[1-9]|2[3-9]|[3-6]|7[01]|720))',
  },
];

/** How many installments a payment type takes: a debit card pays at once. */
export function maxInstallments(type: PaymentTypeId): number {
  return type === 'debit_card' ? 1 : 36;
}

/** The brand of a card number (digits only), by its BIN; undefined when no brand takes it. */
export function brandOf(digits: string): Brand | undefined {
  return BRANDS.find((b) => b.matches(digits));
}

export function brandById(id: string): Brand | undefined {
  return BRANDS.find((b) => b.id === id);
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** A document type of the card family's sites: its name and the digits it takes. */
export interface IdentificationType {
  id: string;
  name: string;
  type: 'number' | 'string';
  minLength: number;
  maxLength: number;
}

export const IDENTIFICATION_TYPES: readonly IdentificationType[] = [
  { id: 'V', name: 'Cédula venezolana', type: 'number', minLength: 6, maxLength: 9 },
  { id: 'E', name: 'Cédula de extranjero', type: 'number', minLength: 6, maxLength: 10 },
  { id: 'J', name: 'RIF jurídico', type: 'number', minLength: 8, maxLength: 10 },
  { id: 'P', name: 'Pasaporte', type: 'string', minLength: 5, maxLength: 20 },
  { id: 'DNI', name: 'DNI', type: 'number', minLength: 7, maxLength: 8 },
  { id: 'CPF', name: 'CPF', type: 'number', minLength: 11, maxLength: 11 },
  { id: 'CC', name: 'Cédula de ciudadanía', type: 'number', minLength: 5, maxLength: 20 },
  { id: 'RUT', name: 'RUT', type: 'string', minLength: 7, maxLength: 9 },
  { id: 'CI', name: 'Cédula de identidad', type: 'number', minLength: 6, maxLength: 8 },
];

/** A data-entry error of a card: the documented code and what it means. */
export type CardProblemCode = '205' | '208' | '209' | '212' | '214' | '221' | '224' | 'E301' | 'E302' | '316' | '322' | '324' | '325' | '326';

export const CARD_PROBLEMS: Record<CardProblemCode, { es: string; en: string }> = {
  '205': { es: 'Ingrese el número de la tarjeta.', en: 'Enter the card number.' },
  '208': { es: 'Ingrese el mes de vencimiento.', en: 'Enter the expiration month.' },
  '209': { es: 'Ingrese el año de vencimiento.', en: 'Enter the expiration year.' },
  '212': { es: 'Ingrese el tipo de documento.', en: 'Enter the document type.' },
  '214': { es: 'Ingrese el número de documento.', en: 'Enter the document number.' },
  '221': { es: 'Ingrese el nombre del titular.', en: "Enter the cardholder's name." },
  '224': { es: 'Ingrese el código de seguridad.', en: 'Enter the security code.' },
  E301: { es: 'El número de la tarjeta no es válido.', en: 'The card number is not valid.' },
  E302: { es: 'El código de seguridad no es válido.', en: 'The security code is not valid.' },
  '316': { es: 'El nombre del titular no es válido.', en: "The cardholder's name is not valid." },
  '322': { es: 'El tipo de documento no es válido.', en: 'The document type is not valid.' },
  '324': { es: 'El número de documento no es válido.', en: 'The document number is not valid.' },
  '325': { es: 'El mes de vencimiento no es válido.', en: 'The expiration month is not valid.' },
  '326': { es: 'El año de vencimiento no es válido.', en: 'The expiration year is not valid.' },
};

export interface CardInput {
  cardNumber: string;
  expirationMonth: number;
  expirationYear: number;
  securityCode: string;
  cardholderName: string;
  identification?: { type: string; number: string };
}

/** A card that passed every check, with its brand. */
export interface CheckedCard extends CardInput {
  brand: Brand;
}

/** Raw fields as a browser or a server sends them (strings or numbers, possibly absent). */
export interface CardFields {
  card_number?: unknown;
  expiration_month?: unknown;
  expiration_year?: unknown;
  security_code?: unknown;
  cardholder?: { name?: unknown; identification?: { type?: unknown; number?: unknown } };
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

/**
 * Check a card's fields; `today` is the deployment clock's year and month. Every problem is
 * reported (a form shows them all at once), in field order.
 */
export function checkCard(fields: CardFields, today: { year: number; month: number }): { card: CheckedCard } | { problems: CardProblemCode[] } {
  const problems: CardProblemCode[] = [];
  // A card number sent as a JSON number past 2^53 reached us rounded: its digits are not the
  // card's, so it is refused as invalid rather than tokenized with other digits.
  const lossy = typeof fields.card_number === 'number' && !Number.isSafeInteger(fields.card_number);
  const number = text(fields.card_number).replace(/[\s-]/g, '');
  const brand = /^\d+$/.test(number) ? brandOf(number) : undefined;
  if (!number) problems.push('205');
  else if (lossy || !brand || !brand.lengths.includes(number.length) || !luhnValid(number)) problems.push('E301');

  const monthText = text(fields.expiration_month);
  const yearText = text(fields.expiration_year);
  const month = /^\d{1,2}$/.test(monthText) ? Number(monthText) : NaN;
  let year = /^\d{2}$|^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (year < 100) year += 2000;
  if (!monthText) problems.push('208');
  else if (!(month >= 1 && month <= 12)) problems.push('325');
  if (!yearText) problems.push('209');
  else if (!(year >= today.year && year <= today.year + 20)) problems.push('326');
  else if (year === today.year && month >= 1 && month < today.month) problems.push('325');

  const securityCode = text(fields.security_code);
  if (!securityCode) problems.push('224');
  else if (
    !/^\d+$/.test(securityCode) ||
    securityCode.length !== (brand?.securityCodeLength ?? securityCode.length) ||
    securityCode.length < 3 ||
    securityCode.length > 4
  )
    problems.push('E302');

  const name = text(fields.cardholder?.name).replace(/\s+/g, ' ');
  if (!name) problems.push('221');
  else if (name.length > 60 || !/^[\p{L}][\p{L}\p{M} .'-]*$/u.test(name)) problems.push('316');

  let identification: CardInput['identification'];
  const docType = text(fields.cardholder?.identification?.type);
  const docNumber = text(fields.cardholder?.identification?.number);
  if (docType || docNumber) {
    const type = IDENTIFICATION_TYPES.find((t) => t.id === docType.toUpperCase());
    if (!docType) problems.push('212');
    else if (!type) problems.push('322');
    if (!docNumber) problems.push('214');
    else if (
      docNumber.length > 20 ||
      (type &&
        (docNumber.length < type.minLength ||
          docNumber.length > type.maxLength ||
          (type.type === 'number' ? !/^\d+$/.test(docNumber) : !/^[A-Za-z0-9]+$/.test(docNumber))))
    )
      problems.push('324');
    if (type && docNumber) identification = { type: type.id, number: docNumber };
  }
  if (problems.length > 0 || !brand) return { problems: problems.length ? problems : ['E301'] };
  return { card: { cardNumber: number, expirationMonth: month, expirationYear: year, securityCode, cardholderName: name, identification, brand } };
}

// ---- outcomes ------------------------------------------------------------------------------

/** What a processor answered to an authorization. */
export type Authorization =
  { outcome: 'approved' } | { outcome: 'pending'; detail: 'pending_contingency' | 'pending_review_manual' } | { outcome: 'rejected'; detail: RejectionDetail };

export type RejectionDetail =
  | 'cc_rejected_bad_filled_card_number'
  | 'cc_rejected_bad_filled_date'
  | 'cc_rejected_bad_filled_other'
  | 'cc_rejected_bad_filled_security_code'
  | 'cc_rejected_blacklist'
  | 'cc_rejected_call_for_authorize'
  | 'cc_rejected_card_disabled'
  | 'cc_rejected_card_error'
  | 'cc_rejected_duplicated_payment'
  | 'cc_rejected_high_risk'
  | 'cc_rejected_insufficient_amount'
  | 'cc_rejected_invalid_installments'
  | 'cc_rejected_max_attempts'
  | 'cc_rejected_other_reason';

/** The sandbox simulator: the outcome is chosen by the cardholder's name, as the provider's test cards do. */
export function simulatedAuthorization(cardholderName: string): Authorization {
  switch (cardholderName.trim().toUpperCase()) {
    case 'CONT':
      return { outcome: 'pending', detail: 'pending_contingency' };
    case 'CALL':
      return { outcome: 'rejected', detail: 'cc_rejected_call_for_authorize' };
    case 'FUND':
      return { outcome: 'rejected', detail: 'cc_rejected_insufficient_amount' };
    case 'SECU':
      return { outcome: 'rejected', detail: 'cc_rejected_bad_filled_security_code' };
    case 'EXPI':
      return { outcome: 'rejected', detail: 'cc_rejected_bad_filled_date' };
    case 'FORM':
      return { outcome: 'rejected', detail: 'cc_rejected_bad_filled_other' };
    case 'OTHE':
      return { outcome: 'rejected', detail: 'cc_rejected_other_reason' };
    default:
      // APRO, and any other name (the demo buyers pay with their own names): approved.
      return { outcome: 'approved' };
  }
}

/** The public test cards (sandbox): number, brand, security code. */
export const TEST_CARDS = [
  { number: '4509953566233704', brand: 'visa', securityCode: '123' },
  { number: '5031755734530604', brand: 'master', securityCode: '123' },
  { number: '371180303257522', brand: 'amex', securityCode: '1234' },
  { number: '4966382331109310', brand: 'visa', securityCode: '123' },
  { number: '5177076164300010', brand: 'master', securityCode: '123' },
] as const;
