export * from './model.ts';
export { ensureOperator, OPERATOR_USERNAME } from './bootstrap.ts';
export { findUserById, findUserByUsername, findUsersByIds, hasCustomers, USER_COLUMNS, type UserRow } from './repo.ts';
export { createSession, endSession, findSession, login, pruneExpiredSessions, SESSION_TTL_MS, type Session } from './sessions.ts';
export {
  LOCAL_SOURCE,
  MAX_FAILURES_PER_PERSON,
  MAX_FAILURES_PER_SOURCE,
  pruneSignInFailures,
  pruneSignInSources,
  SIGN_IN_WINDOW_MS,
  signInSource,
} from './sign-in-limits.ts';
export {
  authenticateLimited,
  checkRegistration,
  findUserByReference,
  getUser,
  issueAffiliationCodes,
  MAX_PIN_ATTEMPTS,
  pinState,
  publicProfile,
  registerUser,
  setPin,
  verifyPin,
  type RegisterInput,
} from './users.ts';
export { IDENTITY_MESSAGES, newPasswordProblems, pinFormProblems, pinProblems, readRegistration, signInProblems, type RegistrationFields } from './rules.ts';
export {
  createTestUser,
  isTestUser,
  isTestUserId,
  markTestUsersActive,
  MAX_ALIVE_TEST_USERS,
  refuseExpiredTestUsers,
  TEST_USER_IDLE_MS,
  TEST_USER_SITES,
  testUsersMix,
  type CreatedTestUser,
  type TestUserSite,
} from './test-users.ts';
export { PASSWORD_RESET_TTL_MS, pruneExpiredPasswordResets, requestPasswordReset, resetPassword, type ResetRequested } from './password-reset.ts';
export { AFFILIATION_CODES_MAX, isUserLocked, listAffiliationCodes, lockUser, searchUsers, unlockUser, USER_SEARCH_MAX, type UserAdminView } from './admin.ts';
