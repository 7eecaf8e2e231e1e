// The console's view of applications (camelCase, as the rest of the console API): a list's
// distribution accounts, with who holds each, read in one statement for all of its apps.
import type { Db } from '../../store/db.ts';
import { findDistributionRecipientsOfApps, type AppRow, type ListedApp } from './repo.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export type AppView = Awaited<ReturnType<typeof appViews>>[number];

/** The console's view of apps: their distribution accounts, with who holds each, read once for all of them. */
export async function appViews(db: Db, apps: readonly (AppRow | ListedApp)[]) {
  const recipients = apps.length
    ? await findDistributionRecipientsOfApps(
        db,
        apps.map((a) => a.id),
      )
    : [];
  return apps.map((app) => {
    const own = recipients.filter((r) => r.app_id === app.id);
    return {
      id: app.id,
      name: app.name,
      description: app.description,
      homepageUrl: app.homepage_url,
      redirectUris: JSON.parse(app.redirect_uris) as string[],
      receivingAccountId: app.receiving_account_id,
      environment: app.environment,
      ready: app.ready === 1,
      activationRequestedAt: isoOrNull(app.activation_requested_at),
      permissions: {
        paymentButton: app.perm_payment_button === 1,
        billingApi: app.perm_billing_api === 1,
        distributions: app.perm_distributions === 1,
        payouts: app.perm_payouts === 1,
      },
      distributionAccounts: own.map((r) => r.account_id),
      /** The same accounts with their holders, as the console lists them. */
      distributionRecipients: own.map((r) => ({
        accountId: r.account_id,
        currency: r.currency,
        username: r.username,
        name: r.name,
        authorizedAt: iso(r.created_at),
      })),
      hasLogo: 'has_logo' in app ? app.has_logo === 1 : !!app.logo_png,
      clientId: app.client_id,
      publicKey: app.public_key,
      createdAt: iso(app.created_at),
    };
  });
}

export async function appView(db: Db, app: AppRow | ListedApp): Promise<AppView> {
  return (await appViews(db, [app]))[0]!;
}
