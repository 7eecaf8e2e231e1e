// @pasarela/sdk: the TypeScript client of Pasarela's wallet merchant API (mPandco v1.7.1).
export { Pasarela } from './client.ts';
export type { Environment, FetchLike, PasarelaOptions } from './config.ts';
export {
  CONFLICT_CODES,
  PasarelaApiError,
  PasarelaAuthenticationError,
  PasarelaConflictError,
  PasarelaConnectionError,
  PasarelaError,
  PasarelaInvalidRequestError,
  PasarelaNotFoundError,
  PasarelaPermissionError,
  PasarelaRateLimitError,
  PasarelaSignatureVerificationError,
  PasarelaValidationError,
} from './errors.ts';
export type { ErrorTree, FieldError } from './errors.ts';
export { EVENT_TYPES } from './events.ts';
export type { EventType, WebhookEvent } from './events.ts';
export type * from './models.ts';
export type { PageList } from './pagination.ts';
export type { Approval, SandboxClock, SandboxPayer, WalletBalance } from './resources/sandbox.ts';
export type { RequestOptions, ResponseMeta, WithResponse } from './transport.ts';
export { VERSION } from './version.ts';
export { constructEvent, DEFAULT_TOLERANCE_SECONDS, generateTestHeaders, webhooks } from './webhooks.ts';
export type { ConstructEventOptions, HeaderBag, SignatureFailure } from './webhooks.ts';
