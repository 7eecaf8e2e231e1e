// Register an item (wallet API): into the merchant's batch pending upload, opened if there is
// none.
import { newRowId } from '../../kernel/ids.ts';
import { InvariantError } from '../../kernel/errors.ts';
import { DEFAULT_CURRENCY, MAX_AMOUNT_MINOR, type Currency } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../store/db.ts';
import { dailyReferences } from '../../store/sequences.ts';
import { runCommand, type CommandOptions } from '../commands/index.ts';
import { itemEvent } from './item-events.ts';
import { MAX_ITEMS_PER_BATCH, type PayoutType } from './model.ts';
import {
  countItemIntoBatch,
  findBatchCounters,
  findPendingBatch,
  findReferencesInBatch,
  insertBatchUnlessPending,
  insertItem,
  insertItems,
  type PayoutItemRow,
} from './repo.ts';

/** Bank payouts go to Venezuelan bank accounts: bolívares. */
export const PAYOUT_CURRENCY: Currency = DEFAULT_CURRENCY;

export interface PayoutCaller {
  userId: string;
  appId: string | null;
}

/** A payout item as the merchant asked for it (checked, amount exact). */
export interface PayoutItemInput {
  type: PayoutType;
  reference: string;
  nameAccount: string;
  identificationNumber: string;
  identification: string;
  bankAccount: string;
  bankCode: string;
  amountMinor: number;
}

/**
 * `POST /api/multipayment/register-item.json`: add an item to the merchant's batch pending
 * upload (opened if there is none). Items of both types share the batch; each item keeps its
 * own type, fee and settlement time.
 */
export async function registerPayoutItem(
  ctx: Ctx,
  caller: PayoutCaller,
  fields: PayoutItemInput,
  options?: CommandOptions<PayoutItemRow>,
): Promise<PayoutItemRow> {
  const now = await ctx.clock.now();
  // Drawn before the transaction (see sequences.ts).
  const [ref] = await nextPayoutRefs(ctx.store.db, now, 1);
  return runCommand(
    ctx,
    options,
    async ({ tx, emit }) => {
      const batchId = await claimPendingBatch(tx, caller, fields.amountMinor, now);
      const item = newItem(caller, fields, { ref, batchId, now });
      await insertItem(tx, item);
      emit(itemEvent(item, 'payout_item.created'));
      return item;
    },
    now,
  );
}

/** What a bulk registration did: the items it registered, and the references the batch pending upload already had. */
export interface BulkRegistration {
  items: PayoutItemRow[];
  alreadyPending: string[];
}

/**
 * Register many items at once (the console's CSV upload): all into the batch pending upload in
 * one transaction, or none (a batch that would pass its limits refuses the whole upload). An
 * item whose reference the pending batch already has is left out: a merchant who fixes a bad
 * line and uploads the whole file again must not pay the good lines twice.
 */
export async function registerPayoutItems(
  ctx: Ctx,
  caller: PayoutCaller,
  inputs: readonly PayoutItemInput[],
  options?: CommandOptions<BulkRegistration>,
): Promise<BulkRegistration> {
  if (inputs.length === 0) throw new InvariantError('registerPayoutItems: no items');
  const now = await ctx.clock.now();
  const refs = await nextPayoutRefs(ctx.store.db, now, inputs.length);
  // The caller checked the sum is at most MAX_AMOUNT_MINOR, so it is exact.
  const sumOf = (items: readonly PayoutItemInput[]) => items.reduce((sum, item) => sum + item.amountMinor, 0);
  const totalMinor = sumOf(inputs);
  return runCommand(
    ctx,
    options,
    async ({ tx, emit }) => {
      const pending = await findPendingBatch(tx, caller.userId, PAYOUT_CURRENCY);
      const known = new Set(
        pending
          ? await findReferencesInBatch(
              tx,
              pending.id,
              inputs.map((i) => i.reference),
            )
          : [],
      );
      const fresh = inputs.filter((i) => !known.has(i.reference));
      const alreadyPending = [...known];
      if (fresh.length === 0) return { items: [], alreadyPending };
      const batchId = await claimPendingBatch(tx, caller, fresh === inputs ? totalMinor : sumOf(fresh), now, fresh.length);
      const items = fresh.map((fields, i) => newItem(caller, fields, { ref: refs[i]!, batchId, now }));
      await insertItems(tx, items);
      for (const item of items) emit(itemEvent(item, 'payout_item.created'));
      return { items, alreadyPending };
    },
    now,
  );
}

function newItem(caller: PayoutCaller, fields: PayoutItemInput, at: { ref: string; batchId: string; now: number }): PayoutItemRow {
  return {
    id: newRowId(),
    ref: at.ref,
    batch_id: at.batchId,
    owner_user_id: caller.userId,
    app_id: caller.appId,
    type: fields.type,
    reference: fields.reference,
    name_account: fields.nameAccount,
    identification_number: fields.identificationNumber,
    identification: fields.identification,
    bank_account: fields.bankAccount,
    bank_code: fields.bankCode,
    currency: PAYOUT_CURRENCY,
    amount_minor: fields.amountMinor,
    fee_minor: 0,
    state: 'APPROVED',
    settle_after: null,
    failure_reason: null,
    created_at: at.now,
    submitted_at: null,
    paid_at: null,
    failed_at: null,
  };
}

/**
 * The merchant's batch pending upload, with these `count` items counted in (the UPDATE takes the batch
 * row, so a submit running at the same time either sees this item or makes us open a new batch).
 */
async function claimPendingBatch(tx: Tx, caller: PayoutCaller, amountMinor: number, now: number, count = 1): Promise<string> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const open = await findPendingBatch(tx, caller.userId, PAYOUT_CURRENCY);
    if (!open) {
      // The partial unique index keeps one pending batch per merchant: a concurrent opener wins
      // and we use its batch on the next pass.
      await insertBatchUnlessPending(tx, {
        id: newRowId(),
        owner_user_id: caller.userId,
        app_id: caller.appId,
        currency: PAYOUT_CURRENCY,
        state: 'pending_upload',
        item_count: 0,
        total_minor: 0,
        fee_minor: 0,
        debit_account_id: null,
        entry_id: null,
        created_at: now,
        submitted_at: null,
        settled_at: null,
      });
      continue;
    }
    // A batch total stays a safe amount, so every sum over it (with fees) stays exact.
    if (await countItemIntoBatch(tx, open.id, amountMinor, { maxItems: MAX_ITEMS_PER_BATCH, maxTotalMinor: MAX_AMOUNT_MINOR }, count)) return open.id;
    const again = await findBatchCounters(tx, open.id);
    if (again?.state === 'pending_upload' && again.item_count + count > MAX_ITEMS_PER_BATCH) {
      refuse({ code: 'batch_full', maxItems: MAX_ITEMS_PER_BATCH });
    }
    if (again?.state === 'pending_upload' && again.total_minor + amountMinor > MAX_AMOUNT_MINOR) {
      refuse({ code: 'batch_total_exceeded' });
    }
    // submitted meanwhile: open a new one
  }
  throw new InvariantError('could not claim a pending payout batch');
}

/** The next `count` payout references: `MP` + yymmdd + the day's number (five digits at least). */
export function nextPayoutRefs(db: Db | Tx, now: number, count: number): Promise<string[]> {
  return dailyReferences(db, 'MP', now, 5, count);
}
