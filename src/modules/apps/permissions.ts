// What an app may do beyond collecting: each permission the operator grants (or, in sandbox, the owner).
import type { AppRow } from './repo.ts';

export type Permission = 'payment_button' | 'billing_api' | 'distributions' | 'payouts';
export const PERMISSIONS: readonly Permission[] = ['payment_button', 'billing_api', 'distributions', 'payouts'];

export function hasPermission(app: AppRow, permission: Permission): boolean {
  switch (permission) {
    case 'payment_button':
      return app.perm_payment_button === 1;
    case 'billing_api':
      return app.perm_billing_api === 1;
    case 'distributions':
      return app.perm_distributions === 1;
    case 'payouts':
      return app.perm_payouts === 1;
  }
}
