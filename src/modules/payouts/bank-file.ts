// The operator's side of a submitted batch: the file to upload to the bank, and the bank's
// answer (which items were paid, which failed) imported back.
import { formatAmount, type Currency } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { BANK_FILE_HEADER, csvLine, parseBankAnswer, type BankAnswerProblem } from './model.ts';
import { findUnfailedItems, type PayoutBatchRow } from './repo.ts';
import { transitionPayoutItem } from './settlement.ts';
import { findBatch, getPayoutBatch, type PayoutBatchView } from './views.ts';
import { iso } from '../../kernel/instants.ts';

function requireSubmitted(batch: PayoutBatchRow): void {
  if (batch.state === 'pending_upload') refuse({ code: 'batch_not_submitted' });
}

/**
 * The bank file of a submitted batch: a header line, then one line per item to pay (FAILED
 * items are left out: their money went back to the merchant), CRLF, UTF-8.
 */
export async function payoutBankFile(ctx: Ctx, batchId: string): Promise<{ filename: string; csv: string }> {
  const batch = await findBatch(ctx.store.db, batchId);
  requireSubmitted(batch);
  const items = await findUnfailedItems(ctx.store.db, batchId);
  const lines = [csvLine(BANK_FILE_HEADER)];
  for (const item of items) {
    lines.push(
      csvLine([
        item.ref,
        item.bank_code,
        item.bank_account,
        item.identification,
        item.name_account,
        formatAmount(item.amount_minor, item.currency as Currency),
        item.type,
        item.reference,
      ]),
    );
  }
  const day = iso(batch.submitted_at ?? batch.created_at)
    .slice(0, 10)
    .replace(/-/g, '');
  return { filename: `dispersion-${day}-${batch.id.slice(0, 8)}.csv`, csv: lines.join('\r\n') + '\r\n' };
}

export interface BankAnswerReport {
  batchId: string;
  /** Lines read (the header not counted). */
  lines: number;
  paid: string[];
  failed: string[];
  /** Already in the answered state (a file imported twice changes nothing). */
  unchanged: string[];
  /** Refs that are not items of this batch. */
  unknown: { line: number; ref: string }[];
  /** Lines that could not be read, and answers the item's state refuses. */
  rejected: BankAnswerProblem[];
  batch: PayoutBatchView;
}

/** Apply a bank answer (`ref,status[,reason]`): idempotent, one transaction per line. */
export async function importPayoutBankAnswer(ctx: Ctx, batchId: string, text: string): Promise<BankAnswerReport> {
  const batch = await findBatch(ctx.store.db, batchId);
  requireSubmitted(batch);
  const { rows, problems } = parseBankAnswer(text);
  const report: Omit<BankAnswerReport, 'batch'> = {
    batchId,
    lines: rows.length + problems.length,
    paid: [],
    failed: [],
    unchanged: [],
    unknown: [],
    rejected: [...problems],
  };
  for (const row of rows) {
    const outcome = await transitionPayoutItem(ctx, { ref: row.ref, batchId }, row.status === 'PAID' ? 'pay' : 'fail', { reason: row.reason });
    switch (outcome.kind) {
      case 'applied':
        (row.status === 'PAID' ? report.paid : report.failed).push(row.ref);
        break;
      case 'unchanged':
        report.unchanged.push(row.ref);
        break;
      case 'refused':
        report.rejected.push({ line: row.line, ref: row.ref, message: outcome.message, code: outcome.code });
        break;
      case 'unknown':
        report.unknown.push({ line: row.line, ref: row.ref });
        break;
    }
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return { ...report, batch: await getPayoutBatch(ctx, batchId) };
}
