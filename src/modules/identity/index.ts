export * from './model.ts';
export { ensureOperator, OPERATOR_USERNAME } from './bootstrap.ts';
export { findUserByUsername, findUsersByIds, hasCustomers, type UserRow } from './repo.ts';
export { createSession, endSession, findSession, login, SESSION_TTL_MS, type Session } from './sessions.ts';
export {
  authenticate,
  authenticateLimited,
  checkRegistration,
  findUserByReference,
  getUser,
  issueAffiliationCodes,
  MAX_PIN_ATTEMPTS,
  PIN_WRONG,
  publicProfile,
  registerUser,
  setPin,
  verifyPin,
  type RegisterInput,
} from './users.ts';
export { IDENTITY_MESSAGES, readRegistration, signInProblems, type RegistrationFields, type RuleLang } from './rules.ts';
