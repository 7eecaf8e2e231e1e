// How a request's subject reads: the activation, or the permission's name of the app pages.
import type { TFunction } from 'i18next';
import type { RequestSubject } from './types.ts';

const PERMISSION_KEY = { payment_button: 'paymentButton', billing_api: 'billingApi', distributions: 'distributions', payouts: 'payouts' } as const;

export function subjectLabel(subject: RequestSubject, t: TFunction): string {
  if (subject === 'activation') return t('operator.requests.activation');
  return t('operator.requests.permission', { name: t(`apps.${PERMISSION_KEY[subject]}`) });
}
