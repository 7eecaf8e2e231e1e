export {
  activateApp,
  appView,
  appViews,
  createApp,
  createAppOnce,
  getApp,
  getOwnedApp,
  hasPermission,
  keyPrefix,
  listApps,
  renewCredentials,
  requestActivation,
  revealCredentials,
  setPermissions,
  setPermissionsOnce,
  updateApp,
  type AppCredentials,
  type AppInput,
  type AppView,
  type PermissionChange,
  type Permission,
} from './service.ts';
export {
  ACCESS_TOKEN_TTL_SECONDS,
  authenticatePublicKey,
  issueToken,
  OAuthError,
  REFRESH_TOKEN_TTL_SECONDS,
  type Grant,
  type OAuthErrorCode,
  type TokenPair,
  type TokenRequest,
} from './oauth.ts';
export { authenticateBearer, type AuthContext, type BearerFailure } from './bearer.ts';
export { addDistributionAccount, distributionAccounts, removeDistributionAccount } from './distribution.ts';
export { inspectPng, MAX_LOGO_BYTES, solidPng } from './png.ts';
export {
  APP_COLUMNS_WITHOUT_LOGO,
  findFirstAppOfOwner,
  revokeTokensOfUser,
  type AppRow,
  type ListedApp,
  findAppDistributionPermission,
  findAppLogo,
  findAppName,
} from './repo.ts';
export { EXPIRED_TOKEN_GRACE_MS, pruneEmptyTokenFamilies, pruneExpiredTokens } from './token-retention.ts';
export { APP_MESSAGES, logoProblem, MAX_DISTRIBUTION_ACCOUNTS, readAppFields, type AppFields } from './rules.ts';
export {
  AUTHORIZATION_CODE_TTL_MS,
  authorizationRedirect,
  checkAuthorizationRequest,
  issueAuthorizationCode,
  pruneExpiredCodes,
  type AuthorizationProblem,
  type CheckedAuthorization,
} from './authorization.ts';
export {
  appRequestViews,
  decidePermissionRequest,
  isPermission,
  pendingRequests,
  PERMISSIONS,
  rejectActivation,
  requestPermission,
  type AppRequestView,
  type RequestSubject,
} from './requests.ts';
