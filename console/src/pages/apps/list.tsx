// Configuraciones → Aplicaciones oAuth: the business's applications (seed 000, 4.1.3).
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '../../lib/session.tsx';
import { ButtonLink } from '../../ui/button.tsx';
import { Alert, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader } from '../../ui/layout.tsx';
import { useApps } from './queries.ts';
import { AppStatus } from './status.tsx';

export function AppsList() {
  const { t } = useTranslation();
  const me = useMe();
  const apps = useApps();
  const [params] = useSearchParams();
  const business = me.data?.user.type === 'business';
  const welcome = params.get('welcome') ? <Alert tone="success">{t('auth.registered')}</Alert> : null;
  const action = business ? <ButtonLink to="/apps/new">{t('apps.register')}</ButtonLink> : undefined;
  const header = (
    <>
      <PageHeader title={t('apps.title')} intro={t('apps.intro')} crumbs={t('nav.settings')} actions={apps.data?.length ? action : undefined} />
      {welcome}
    </>
  );
  if (!business)
    return (
      <>
        {header}
        <Alert tone="info">{t('apps.businessOnly')}</Alert>
      </>
    );
  if (!apps.isSuccess) return <QueryStates query={apps} header={header} />;
  if (apps.data.length === 0)
    return (
      <>
        {header}
        <EmptyState title={t('apps.emptyTitle')} action={action}>
          {t('apps.emptyText')}
        </EmptyState>
      </>
    );
  return (
    <>
      {header}
      <div className="card">
        <ul className="list">
          {apps.data.map((app) => (
            <li className="list-item" key={app.id}>
              {app.hasLogo ? <img className="app-logo" src={`/p/apps/${app.id}/logo.png`} alt="" /> : <span className="app-logo" aria-hidden="true" />}
              <div className="grow">
                <Link to={`/apps/${app.id}`} aria-label={t('apps.open', { name: app.name })}>
                  <strong>{app.name}</strong>
                </Link>
                <div className="small muted">{app.homepageUrl}</div>
              </div>
              <AppStatus app={app} />
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
