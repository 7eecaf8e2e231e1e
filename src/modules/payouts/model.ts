// Bulk payouts ("dispersión", "pagos masivos", "lote"): pure rules — types, states, the
// settlement delay and the CSV bank file and bank answer formats. No I/O here.
import { ValidationError, assertNever, type FieldError } from '../../kernel/errors.ts';
import { DAY_MS } from '../../kernel/instants.ts';
import type { FeeOperation } from '../fees/index.ts';
import { PAYOUT_MESSAGES } from './rules.ts';

export const PAYOUT_TYPES = ['DISPERSION', 'DISPERSION_INSTANT_INTERBANK'] as const;
export type PayoutType = (typeof PAYOUT_TYPES)[number];

export function isPayoutType(value: unknown): value is PayoutType {
  return typeof value === 'string' && (PAYOUT_TYPES as readonly string[]).includes(value);
}

/** The fee schedule's operation for a payout type. */
export function feeOperationFor(type: PayoutType): FeeOperation {
  switch (type) {
    case 'DISPERSION':
      return 'payout_dispersion';
    case 'DISPERSION_INSTANT_INTERBANK':
      return 'payout_instant';
    default:
      return assertNever(type, 'payout type');
  }
}

/**
 * When a submitted item is due to be paid: DISPERSION settles interbank within 24 hours of
 * the batch's submission, DISPERSION_INSTANT_INTERBANK at once (the settlement worker's next
 * tick).
 */
export function settleAfter(type: PayoutType, submittedAt: number): number {
  switch (type) {
    case 'DISPERSION':
      return submittedAt + DAY_MS;
    case 'DISPERSION_INSTANT_INTERBANK':
      return submittedAt;
    default:
      return assertNever(type, 'payout type');
  }
}

// --- States -----------------------------------------------------------------------------

/** pending_upload (items being added) → submitted (merchant debited) → settled (all items final). */
export type PayoutBatchState = 'pending_upload' | 'submitted' | 'settled';

/**
 * APPROVED (registered, the contract's answer) → PROCESSING (batch submitted, money held in
 * payout clearing) → PAID (sent to the bank) | FAILED (money returned to the merchant).
 * PAID → FAILED is a bank return (the bank answers FAILED after the item was paid).
 */
export type PayoutItemState = 'APPROVED' | 'PROCESSING' | 'PAID' | 'FAILED';

export type ItemTransition = 'submit' | 'pay' | 'fail';

export type TransitionOutcome = { kind: 'apply'; to: PayoutItemState } | { kind: 'unchanged' } | { kind: 'refused'; message: string; code: PayoutCode };

/** A payouts rule's code ("payouts.itemSubmitted"), beside its Spanish text. */
export type PayoutCode = `payouts.${keyof typeof PAYOUT_MESSAGES}`;

function refused(key: 'itemSubmitted' | 'itemNotSubmitted' | 'itemFailed'): TransitionOutcome {
  return { kind: 'refused', message: PAYOUT_MESSAGES[key].es, code: `payouts.${key}` };
}

/** What an item in `from` does on `transition` (closed set; checked inside the transaction). */
export function itemTransition(from: PayoutItemState, transition: ItemTransition): TransitionOutcome {
  switch (transition) {
    case 'submit':
      return from === 'APPROVED' ? { kind: 'apply', to: 'PROCESSING' } : refused('itemSubmitted');
    case 'pay':
      switch (from) {
        case 'PROCESSING':
          return { kind: 'apply', to: 'PAID' };
        case 'PAID':
          return { kind: 'unchanged' };
        case 'APPROVED':
          return refused('itemNotSubmitted');
        case 'FAILED':
          return refused('itemFailed');
        default:
          return assertNever(from, 'payout item state');
      }
    case 'fail':
      switch (from) {
        case 'PROCESSING':
        case 'PAID':
          return { kind: 'apply', to: 'FAILED' };
        case 'FAILED':
          return { kind: 'unchanged' };
        case 'APPROVED':
          return refused('itemNotSubmitted');
        default:
          return assertNever(from, 'payout item state');
      }
    default:
      return assertNever(transition, 'payout item transition');
  }
}

export const PAYOUT_REF = /^MP\d{11,}$/;

// --- Item fields --------------------------------------------------------------------------

export const MAX_REFERENCE_LENGTH = 100;
export const MAX_NAME_LENGTH = 100;
/** A batch this large must be submitted before more items are added. */
export const MAX_ITEMS_PER_BATCH = 5000;

// Letters (any script), digits, spaces and the punctuation of business names. A name begins
// with a letter or digit, so it can never be read as a spreadsheet formula in the bank file.
const NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .,'&()\/-]*$/u;
const REFERENCE = /^[\p{L}\p{N}#][\p{L}\p{M}\p{N} .,_:#\/-]*$/u;

export function checkAccountName(value: unknown, errors: FieldError[], path: string[]): string {
  const text = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : typeof value === 'number' ? String(value) : '';
  if (!text) errors.push({ path, message: PAYOUT_MESSAGES.required.es, code: 'payouts.required' });
  else if (text.length > MAX_NAME_LENGTH)
    errors.push({ path, message: `Este valor es demasiado largo. Debería tener ${MAX_NAME_LENGTH} caracteres o menos.`, code: 'common.tooLong' });
  else if (!NAME.test(text)) errors.push({ path, message: PAYOUT_MESSAGES.nameCharacters.es, code: 'payouts.nameCharacters' });
  return text;
}

export function checkReference(value: unknown, errors: FieldError[], path: string[]): string {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (!text) errors.push({ path, message: PAYOUT_MESSAGES.required.es, code: 'payouts.required' });
  else if (text.length > MAX_REFERENCE_LENGTH)
    errors.push({ path, message: `Este valor es demasiado largo. Debería tener ${MAX_REFERENCE_LENGTH} caracteres o menos.`, code: 'common.tooLong' });
  else if (!REFERENCE.test(text)) errors.push({ path, message: PAYOUT_MESSAGES.referenceCharacters.es, code: 'payouts.referenceCharacters' });
  return text;
}

// --- The console's CSV upload (read by csv-upload.ts; the console offers the template) ---

export const UPLOAD_COLUMNS = ['type', 'reference', 'nameAccount', 'identificationNumber', 'bankAccount', 'amount'] as const;
export type UploadColumn = (typeof UPLOAD_COLUMNS)[number];

/** The downloadable template: the columns' Spanish names and an example line. */
export const UPLOAD_TEMPLATE =
  'tipo,referencia,titular,identificacion,cuenta,monto\r\nDISPERSION,nomina-enero-001,Pedro Pérez,V12345678,01050000000000000000,150.75\r\n';

// --- CSV (RFC 4180) -----------------------------------------------------------------------

/** Quote a field when needed; a leading formula character is neutralized (OWASP CSV injection). */
export function csvField(value: string): string {
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

export const BANK_FILE_HEADER = ['ref', 'bank_code', 'bank_account', 'identification', 'name', 'amount', 'type', 'reference'] as const;

/**
 * Parse CSV text into rows of fields (quoted fields, "" escapes, CRLF or LF). The delimiter
 * is a comma, or a semicolon when the first line has semicolons and no commas (spreadsheets
 * in Spanish locales save that way). Blank lines are skipped; each row keeps its line number.
 */
export function parseCsv(text: string, maxRows = 100_000): { line: number; fields: string[] }[] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') {
      if (rows.length >= maxRows) throw new ValidationError(`El archivo tiene más de ${maxRows} líneas.`, 'payouts.fileTooManyLines');
      rows.push({ line: rowLine, fields });
    }
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\r' && body[i + 1] === '\n') {
      // CRLF: the \n ends the row
    } else if (c === '\n') {
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new ValidationError(`El archivo tiene una comilla sin cerrar (línea ${rowLine}).`, 'payouts.unclosedQuote');
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

export type BankAnswerStatus = 'PAID' | 'FAILED';

export type BankAnswerRow = { line: number; ref: string; status: BankAnswerStatus; reason: string | null };

export interface BankAnswerProblem {
  line: number;
  ref: string | null;
  message: string;
  code: PayoutCode;
}

/** Read a bank answer: `ref,status[,reason]` per line, an optional header line first. */
export function parseBankAnswer(text: string): { rows: BankAnswerRow[]; problems: BankAnswerProblem[] } {
  const parsed = parseCsv(text);
  const rows: BankAnswerRow[] = [];
  const problems: BankAnswerProblem[] = [];
  for (const [index, row] of parsed.entries()) {
    const ref = (row.fields[0] ?? '').trim().toUpperCase();
    const rawStatus = (row.fields[1] ?? '').trim().toUpperCase();
    if (index === 0 && ref === 'REF') continue; // header
    if (!PAYOUT_REF.test(ref)) {
      problems.push({ line: row.line, ref: ref || null, message: PAYOUT_MESSAGES.answerReference.es, code: 'payouts.answerReference' });
      continue;
    }
    if (rawStatus !== 'PAID' && rawStatus !== 'FAILED') {
      problems.push({ line: row.line, ref, message: PAYOUT_MESSAGES.answerStatus.es, code: 'payouts.answerStatus' });
      continue;
    }
    const reason = (row.fields[2] ?? '').trim().slice(0, 300) || null;
    rows.push({ line: row.line, ref, status: rawStatus, reason });
  }
  return { rows, problems };
}
