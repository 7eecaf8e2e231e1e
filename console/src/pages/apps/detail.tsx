// One application (seed 000, 4.1.6): details, access keys, permissions, receiving account,
// the production activation request, the accounts its distributions may go to, the way to its
// webhooks, its notification secret and the redirect URIs of the marketplace's consent flow.
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import { useConfig, useMe } from '../../lib/session.tsx';
import type { App } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { Alert, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { DistributionSection } from './distribution.tsx';
import { KeysSection } from './keys.tsx';
import { PermissionsSection } from './permissions.tsx';
import { RedirectUrisSection } from './redirect-uris.tsx';
import { WebhooksSection } from '../webhooks/section.tsx';
import { NotificationSecretSection } from '../webhooks/notification-secret.tsx';
import { useApp, useRequestActivation } from './queries.ts';
import { requestOf, useAppRequests } from './requests.ts';
import { AppStatus } from './status.tsx';

function Activation({ app, sandbox }: { app: App; sandbox: boolean }) {
  const { t } = useTranslation();
  const request = useRequestActivation(app.id);
  const rejected = requestOf(useAppRequests(app.id).data, 'activation');
  let body;
  if (sandbox) body = <p>{t('apps.activationSandbox')}</p>;
  else if (app.ready) body = <Alert tone="success">{t('apps.activationReady')}</Alert>;
  else if (app.activationRequestedAt) body = <Alert tone="info">{t('apps.activationRequested', { date: formatDate(app.activationRequestedAt) })}</Alert>;
  else
    body = (
      <>
        {rejected?.state === 'rejected' ? (
          <Alert tone="warning" title={t('apps.activationRejected')}>
            <p data-testid="rejection-reason">{rejected.reason}</p>
          </Alert>
        ) : null}
        <p>{t('apps.activationText')}</p>
        {request.error ? <Alert tone="error">{describeError(request.error, t)}</Alert> : null}
        <Button busy={request.isPending} busyLabel={t('apps.requesting')} onClick={() => request.mutate(undefined)}>
          {t('apps.requestActivation')}
        </Button>
      </>
    );
  return (
    <Section title={t('apps.activation')} id="activation">
      {body}
    </Section>
  );
}

function Receiving({ app }: { app: App }) {
  const { t } = useTranslation();
  const wallet = useMe().data?.wallets.find((w) => w.id === app.receivingAccountId);
  return (
    <Section title={t('apps.receiving')} id="receiving">
      <p className="muted small">{t('apps.receivingText')}</p>
      {wallet ? (
        <>
          <p>
            <strong>{t('apps.walletAccount', { currency: wallet.currency })}</strong>
          </p>
          <p className="balance">{formatMoney(wallet.balance, wallet.currency)}</p>
        </>
      ) : null}
      <p className="small muted mono">{app.receivingAccountId}</p>
    </Section>
  );
}

export function AppDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const app = useApp(id);
  const sandbox = useConfig().data?.environment !== 'production';
  const crumbs = (
    <>
      {t('nav.settings')} › <Link to="/apps">{t('nav.apps')}</Link>
    </>
  );
  if (!app.isSuccess) return <QueryStates query={app} notFound={<EmptyState title={t('apps.notFound')}>{t('common.notFoundText')}</EmptyState>} />;
  const a = app.data;
  return (
    <>
      <PageHeader
        title={a.name}
        intro={a.homepageUrl}
        crumbs={crumbs}
        actions={<AppStatus app={a} />}
        media={a.hasLogo ? <img className="app-logo detail-logo" src={`/p/apps/${a.id}/logo.png`} alt={t('apps.logo')} /> : undefined}
      />
      {params.get('created') ? <Alert tone="success">{t('apps.created')}</Alert> : null}
      <Section title={t('apps.details')} id="details">
        <dl className="details">
          <dt>{t('apps.name')}</dt>
          <dd>{a.name}</dd>
          <dt>{t('apps.description')}</dt>
          <dd>{a.description}</dd>
          <dt>{t('apps.homepageUrl')}</dt>
          <dd>
            <a href={a.homepageUrl} rel="noreferrer noopener" target="_blank">
              {a.homepageUrl}
            </a>
          </dd>
          <dt>{t('apps.environment')}</dt>
          <dd>{a.environment === 'sandbox' ? t('common.sandbox') : t('common.production')}</dd>
          <dt>{t('apps.createdAt')}</dt>
          <dd>{formatDate(a.createdAt)}</dd>
        </dl>
      </Section>
      <KeysSection app={a} />
      <div className="grid grid-2">
        <PermissionsSection app={a} sandbox={sandbox} />
        <div>
          <Receiving app={a} />
          <Activation app={a} sandbox={sandbox} />
        </div>
      </div>
      <DistributionSection app={a} sandbox={sandbox} />
      <WebhooksSection app={a} />
      <NotificationSecretSection app={a} />
      <RedirectUrisSection app={a} sandbox={sandbox} />
    </>
  );
}
