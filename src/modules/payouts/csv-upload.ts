// A payout CSV uploaded from the console: a header line naming the columns, then one item per
// line. Every line is checked with the wallet API's rules (checkItemFields); the good ones are
// registered together and each bad one is answered with its line, field and message, so the
// merchant fixes only those.
import { ValidationError } from '../../kernel/errors.ts';
import { MAX_AMOUNT_MINOR } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import { checkItemFields } from './item-fields.ts';
import { PAYOUT_MESSAGES } from './rules.ts';
import { MAX_ITEMS_PER_BATCH, parseCsv, UPLOAD_COLUMNS, type UploadColumn } from './model.ts';
import type { PayoutItemInput } from './register.ts';

/** The header names a column may have (compared without case, accents, spaces or `_`); the template's first. */
const ALIASES: Record<UploadColumn, string[]> = {
  type: ['tipo', 'type'],
  reference: ['referencia', 'reference'],
  nameAccount: ['titular', 'nameaccount', 'name', 'nombre', 'nombredeltitular'],
  identificationNumber: ['identificacion', 'identificationnumber', 'identification', 'cedula', 'rif', 'cedulaorif'],
  bankAccount: ['cuenta', 'bankaccount', 'account', 'numerodecuenta'],
  amount: ['monto', 'amount'],
};

export interface UploadProblem {
  /** The line of the file (1 is the header). */
  line: number;
  /** The column's field name (UPLOAD_COLUMNS). */
  field: UploadColumn;
  /** The column's name as the file's header spells it. */
  column: string;
  message: string;
  /** The rule's stable code ("payouts.accountFormat") where a shared rule table words the message. */
  code?: string;
}

export interface UploadReading {
  items: PayoutItemInput[];
  /** The file line of each item (same order as `items`). */
  itemLines: number[];
  /** The reference column's name as the header spells it. */
  referenceColumn: string;
  problems: UploadProblem[];
  /** Lines after the header. */
  rows: number;
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_.-]/g, '');

function columnOf(header: string): UploadColumn | undefined {
  const key = fold(header);
  return UPLOAD_COLUMNS.find((c) => ALIASES[c].includes(key));
}

/**
 * Read an uploaded CSV. A file that cannot be read as a whole (no header, a missing or repeated
 * column, no lines, too many) is a 400; a bad line is a problem of that line only.
 */
export function readPayoutCsv(text: string): UploadReading {
  // The header and one batch's worth of lines at most (parseCsv answers 400 past that).
  const parsed = parseCsv(text, MAX_ITEMS_PER_BATCH + 1);
  const header = parsed[0];
  if (!header) throw new ValidationError(PAYOUT_MESSAGES.fileEmpty.es, 'payouts.fileEmpty');
  // Spreadsheets in Spanish locales save with `;` between fields and `,` before the decimals.
  const decimalComma =
    header.fields.length > 1 &&
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0]!
      .includes(';');
  const positions = new Map<UploadColumn, number>();
  for (const [index, name] of header.fields.entries()) {
    const column = columnOf(name);
    if (!column) continue;
    if (positions.has(column)) throw new ValidationError(`La columna «${name.trim()}» está repetida.`, 'payouts.columnRepeated');
    positions.set(column, index);
  }
  const missing = UPLOAD_COLUMNS.filter((c) => !positions.has(c));
  if (missing.length) {
    throw new ValidationError(
      `Faltan columnas en la primera línea: ${missing.map((c) => ALIASES[c][0]!).join(', ')}. La primera línea nombra las columnas: descargue la plantilla.`,
      'payouts.columnsMissing',
    );
  }
  const lines = parsed.slice(1);
  if (lines.length === 0) throw new ValidationError(PAYOUT_MESSAGES.fileNoPayments.es, 'payouts.fileNoPayments');

  const items: PayoutItemInput[] = [];
  const itemLines: number[] = [];
  const problems: UploadProblem[] = [];
  // A reference twice in one file is a line pasted twice far more often than two payments.
  const references = new Set<string>();
  for (const row of lines) {
    const cell = (column: UploadColumn) => (row.fields[positions.get(column)!] ?? '').trim();
    let amount = cell('amount');
    if (decimalComma && /^\d+,\d+$/.test(amount)) amount = amount.replace(',', '.');
    const form = {
      reference: cell('reference'),
      nameAccount: cell('nameAccount'),
      identificationNumber: cell('identificationNumber'),
      bankAccount: cell('bankAccount'),
      amount,
    };
    try {
      const item = checkItemFields(cell('type').toUpperCase(), form);
      if (references.has(item.reference)) {
        problems.push(repeatedReference(row.line, header.fields[positions.get('reference')!]!.trim()));
        continue;
      }
      references.add(item.reference);
      items.push(item);
      itemLines.push(row.line);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const e of error.fieldErrors) {
        const field = (e.path[0] ?? 'type') as UploadColumn;
        problems.push({ line: row.line, field, column: header.fields[positions.get(field)!]!.trim(), message: e.message, ...(e.code ? { code: e.code } : {}) });
      }
    }
  }
  // Each amount is capped; their sum may not be, so it is checked before anything is summed exactly.
  if (items.reduce((sum, item) => sum + item.amountMinor, 0) > MAX_AMOUNT_MINOR) refuse({ code: 'batch_total_exceeded' });
  return { items, itemLines, problems, rows: lines.length, referenceColumn: header.fields[positions.get('reference')!]!.trim() };
}

/** The problem of a line whose reference an earlier line, or the batch pending upload, already has. */
export function repeatedReference(line: number, column: string): UploadProblem {
  return { line, field: 'reference', column, message: PAYOUT_MESSAGES.referenceRepeated.es, code: 'payouts.referenceRepeated' };
}
