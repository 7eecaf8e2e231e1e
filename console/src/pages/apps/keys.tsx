// "Llaves de acceso": the client id and public key in view; the secret and the access token
// hidden until asked for (fetched only then), each with a copy button. Renewing asks first,
// saying that the old keys stop at once.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { App, Credentials } from '../../lib/types.ts';
import { describeError } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { CopyButton } from '../../ui/copy.tsx';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { Section } from '../../ui/layout.tsx';
import { useRenewCredentials, useRevealCredentials } from './queries.ts';

function KeyRow({ label, value, testId }: { label: string; value: string | undefined; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <div className="secret">
          <code data-testid={testId}>{value ?? `•••••••••••• (${t('apps.hidden')})`}</code>
          {value ? <CopyButton value={value} what={label} /> : null}
        </div>
      </dd>
    </>
  );
}

export function KeysSection({ app }: { app: App }) {
  const { t } = useTranslation();
  const reveal = useRevealCredentials(app.id);
  const renew = useRenewCredentials(app.id);
  const [shown, setShown] = useState<Credentials>();
  const [confirming, setConfirming] = useState(false);
  const [renewed, setRenewed] = useState(false);

  const show = () => reveal.mutate(undefined, { onSuccess: (creds) => setShown(creds) });
  const doRenew = () =>
    renew.mutate(undefined, {
      onSuccess: (creds) => {
        setShown(creds);
        setRenewed(true);
        setConfirming(false);
      },
    });
  const error = reveal.error ?? renew.error;

  return (
    <Section
      title={t('apps.keys')}
      id="keys"
      actions={
        <div className="row">
          {shown ? (
            <Button variant="secondary" small onClick={() => setShown(undefined)}>
              {t('apps.hide')}
            </Button>
          ) : (
            <Button variant="secondary" small busy={reveal.isPending} busyLabel={t('apps.revealing')} onClick={show}>
              {t('apps.reveal')}
            </Button>
          )}
          <Button variant="secondary" small onClick={() => setConfirming(true)}>
            {t('apps.renew')}
          </Button>
        </div>
      }
    >
      <p className="muted small">{t('apps.keysIntro')}</p>
      {renewed ? <Alert tone="success">{t('apps.renewed')}</Alert> : null}
      {error && !confirming ? <Alert tone="error">{describeError(error, t)}</Alert> : null}
      <dl className="details">
        <KeyRow label={t('apps.clientId')} value={shown?.clientId ?? app.clientId} testId="client-id" />
        <KeyRow label={t('apps.clientSecret')} value={shown?.clientSecret} testId="client-secret" />
        <KeyRow label={t('apps.publicKey')} value={shown?.publicKey ?? app.publicKey} testId="public-key" />
        <KeyRow label={t('apps.accessToken')} value={shown?.accessToken} testId="access-token" />
      </dl>
      <ConfirmDialog
        open={confirming}
        title={t('apps.renewTitle')}
        confirmLabel={t('apps.renewConfirm')}
        busy={renew.isPending}
        busyLabel={t('apps.renewing')}
        danger
        onConfirm={doRenew}
        onClose={() => setConfirming(false)}
      >
        <p>{t('apps.renewText')}</p>
        {renew.error ? <Alert tone="error">{describeError(renew.error, t)}</Alert> : null}
      </ConfirmDialog>
    </Section>
  );
}
