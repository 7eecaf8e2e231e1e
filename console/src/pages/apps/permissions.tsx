// "Permisos": what the app may do. In sandbox the owner switches them to try each one; in
// production the operator decides, so they are shown, not switched.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { App, Permissions } from '../../lib/types.ts';
import { describeError } from '../../lib/messages.ts';
import { Alert, Badge } from '../../ui/feedback.tsx';
import { Section } from '../../ui/layout.tsx';
import { useSetPermission } from './queries.ts';
import { requestOf, useAppRequests, useRequestPermission } from './requests.ts';
import type { AppRequest } from '../operator/types.ts';
import { Button } from '../../ui/button.tsx';

const SUBJECT = { paymentButton: 'payment_button', billingApi: 'billing_api', distributions: 'distributions', payouts: 'payouts' } as const;

/** Production: the permission's state, and for one the app lacks, its request (or the button to ask). */
function ProductionPermission({
  permission,
  on,
  requests,
  ask,
}: {
  app: App;
  permission: keyof Permissions;
  on: boolean;
  requests: AppRequest[] | undefined;
  ask: ReturnType<typeof useRequestPermission>;
}) {
  const { t } = useTranslation();
  if (on) return <Badge tone="success">{t('apps.enabled')}</Badge>;
  const request = requestOf(requests, SUBJECT[permission]);
  if (request?.state === 'pending') return <Badge tone="info">{t('apps.permissionRequested')}</Badge>;
  return (
    <div className="permission-ask">
      {request?.state === 'rejected' ? <span className="small">{t('apps.permissionRejected', { reason: request.reason })}</span> : null}
      <Button
        small
        variant="secondary"
        busy={ask.isPending && ask.variables === SUBJECT[permission]}
        busyLabel={t('apps.requestingPermission')}
        disabled={ask.isPending}
        aria-label={t('apps.requestPermissionLabel', { name: t(`apps.${permission}`) })}
        onClick={() => ask.mutate(SUBJECT[permission])}
      >
        {t('apps.requestPermission')}
      </Button>
    </div>
  );
}

const KEYS = ['paymentButton', 'billingApi', 'distributions', 'payouts'] as const satisfies readonly (keyof Permissions)[];

export function PermissionsSection({ app, sandbox }: { app: App; sandbox: boolean }) {
  const { t } = useTranslation();
  const change = useSetPermission(app.id);
  const [saving, setSaving] = useState<keyof Permissions>();
  const requests = useAppRequests(app.id);
  const ask = useRequestPermission(app.id);
  const toggle = (key: keyof Permissions, value: boolean) => {
    setSaving(key);
    change.mutate({ [key]: value }, { onSettled: () => setSaving(undefined) });
  };
  return (
    <Section title={t('apps.permissions')} id="permissions">
      <p className="muted small">{sandbox ? t('apps.permissionsSandbox') : t('apps.permissionsProduction')}</p>
      {change.error ? <Alert tone="error">{describeError(change.error, t)}</Alert> : null}
      {ask.error ? <Alert tone="error">{describeError(ask.error, t)}</Alert> : null}
      {change.isSuccess && !saving ? (
        <p className="visually-hidden" role="status">
          {t('apps.permissionSaved')}
        </p>
      ) : null}
      {KEYS.map((key) => {
        const on = app.permissions[key];
        const hintId = `perm-${key}-hint`;
        return (
          <div className="toggle-row" key={key}>
            <div>
              {sandbox ? (
                <label htmlFor={`perm-${key}`}>
                  <strong>{t(`apps.${key}`)}</strong>
                </label>
              ) : (
                <strong>{t(`apps.${key}`)}</strong>
              )}
              <div className="small muted" id={hintId}>
                {t(`apps.${key}Hint`)}
              </div>
            </div>
            {sandbox ? (
              <input
                id={`perm-${key}`}
                type="checkbox"
                role="switch"
                checked={on}
                disabled={saving !== undefined}
                aria-busy={saving === key || undefined}
                aria-describedby={hintId}
                onChange={(e) => toggle(key, e.target.checked)}
              />
            ) : (
              <ProductionPermission app={app} permission={key} on={on} requests={requests.data} ask={ask} />
            )}
          </div>
        );
      })}
    </Section>
  );
}
