// Row ids of the tables that grow with every payment (events, intents, payments, ledger
// entries, deliveries, …) are time-ordered UUIDs (version 7, RFC 9562): a new row lands at the
// end of its primary-key index instead of on a random page, so the commands committed together
// touch one index page instead of one each (SQLite writes every touched page to its log at
// commit; PostgreSQL writes a full page image after a checkpoint for each). They are still
// UUIDs on the wire, with 74 random bits: not guessable, but they do tell their creation time
// to the millisecond — never use them as secrets (tokens and leases stay random v4).
export { v7 as newRowId } from 'uuid';
