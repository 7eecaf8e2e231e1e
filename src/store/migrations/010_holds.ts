// Ledger holds (two-phase, pending entries): money authorized but not yet moved. A pending hold
// raises its debit account's `held_minor`; the balance moves only when the hold is committed.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // A column constraint may name other columns on both databases, and SQLite can add a
  // constraint to an existing table no other way. A wallet's available balance (balance − held)
  // never goes below zero; the service's guarded UPDATE refuses first, this backs it.
  await sql`
    alter table accounts add column held_minor bigint not null default 0
      constraint held_within_balance check (held_minor >= 0 and (kind <> 'wallet' or balance_minor - held_minor >= 0))`.execute(db);

  await db.schema
    .createTable('holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('reference_id', 'text')
    .addColumn('debit_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credit_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('posted_minor', 'bigint')
    .addColumn('entry_id', 'text') // no foreign key: the hold is claimed before its entry is written
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addCheckConstraint('holds_state', sql`state in ('pending', 'posted', 'voided')`)
    .addCheckConstraint('holds_amount', sql`amount_minor > 0`)
    // Posted: a committed amount (1…held) and its journal entry; pending and voided: neither.
    .addCheckConstraint(
      'holds_posted',
      sql`(state = 'posted' and posted_minor > 0 and posted_minor <= amount_minor and entry_id is not null) or (state <> 'posted' and posted_minor is null and entry_id is null)`,
    )
    .addCheckConstraint('holds_resolved', sql`(state = 'pending') = (resolved_at is null)`)
    .execute();
  await db.schema.createIndex('holds_reference').on('holds').column('reference_id').execute();
  // The expiry worker and the verifier read only pending holds (few at any time).
  await sql`create index holds_pending on holds (expires_at) where state = 'pending'`.execute(db);
  await sql`create index holds_pending_debit on holds (debit_account_id) where state = 'pending'`.execute(db);
}
