// "Secreto de notificación" on the application page: the secret that signs the calls to the
// intents' notification_url and the Point webhooks. The server keeps it but gives it out only
// in the answer that creates it (like an endpoint's signing secret), so the page says when it
// was created, and a new one is shown here — hidden until revealed, with a copy button — until
// the merchant leaves. Renewing asks first: the old secret stops signing at once.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { App } from '../../lib/types.ts';
import { formatDate } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { CopyButton } from '../../ui/copy.tsx';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { Alert, QueryStates } from '../../ui/feedback.tsx';
import { Section } from '../../ui/layout.tsx';
import { useNotificationSecret, useRenewNotificationSecret } from './queries.ts';

function NewSecret({ secret }: { secret: string }) {
  const { t } = useTranslation();
  const [revealed, setRevealed] = useState(false);
  const label = t('webhooks.notificationSecret');
  return (
    <div data-testid="notification-secret-panel">
      <div className="secret">
        <code data-testid="notification-secret">{revealed ? secret : `•••••••••••• (${t('apps.hidden')})`}</code>
        <Button variant="secondary" small onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>
          {revealed ? t('apps.hide') : t('apps.reveal')}
        </Button>
        <CopyButton value={secret} what={label} />
      </div>
      <Alert tone="warning">{t('webhooks.notificationSecretOnce')}</Alert>
    </div>
  );
}

export function NotificationSecretSection({ app }: { app: App }) {
  const { t } = useTranslation();
  const status = useNotificationSecret(app.id);
  const renew = useRenewNotificationSecret(app.id);
  const [secret, setSecret] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const exists = status.data?.exists ?? false;

  const create = () =>
    renew.mutate(undefined, {
      onSuccess: ({ secret: value }) => {
        setSecret(value);
        setConfirming(false);
      },
    });

  let body;
  if (!status.isSuccess) body = <QueryStates query={status} />;
  else
    body = (
      <>
        <p data-testid="notification-secret-state">
          {status.data.createdAt ? t('webhooks.notificationSecretSince', { date: formatDate(status.data.createdAt) }) : t('webhooks.notificationSecretNone')}
        </p>
        {renew.error && !confirming ? <Alert tone="error">{describeError(renew.error, t)}</Alert> : null}
        {secret ? <NewSecret key={secret} secret={secret} /> : null}
        <div className="row">
          {exists ? (
            <Button variant="secondary" onClick={() => setConfirming(true)}>
              {t('webhooks.notificationSecretRenew')}
            </Button>
          ) : (
            <Button busy={renew.isPending} busyLabel={t('webhooks.notificationSecretCreating')} onClick={create}>
              {t('webhooks.notificationSecretCreate')}
            </Button>
          )}
        </div>
      </>
    );

  return (
    <Section title={t('webhooks.notificationSecret')} id="notification-secret">
      <p className="muted small">{t('webhooks.notificationSecretText')}</p>
      {body}
      <ConfirmDialog
        open={confirming}
        title={t('webhooks.notificationSecretRenewTitle')}
        confirmLabel={t('webhooks.rotateConfirm')}
        busy={renew.isPending}
        busyLabel={t('webhooks.rotating')}
        danger
        onConfirm={create}
        onClose={() => setConfirming(false)}
      >
        <p>{t('webhooks.notificationSecretRenewText')}</p>
        {renew.error ? <Alert tone="error">{describeError(renew.error, t)}</Alert> : null}
      </ConfirmDialog>
    </Section>
  );
}
