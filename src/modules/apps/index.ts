export { distributionAccounts, hasPermission, type AppRow } from './service.ts';
export { findAppDistributionPermission, findAppLogo, findAppName } from './lookup-repo.ts';
