export { runCommand, type CommandOptions, type CommandScope } from './run-command.ts';
export { pruneIdempotencyKeys, Replayed, requestHash, storedAnswer, type IdempotencyKey, type StoredAnswer } from './idempotency.ts';
