// What every webhook page of an application shares: the app (for its name in the breadcrumb),
// with its loading, not-found and error states.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { App } from '../../lib/types.ts';
import { EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { useApp } from '../apps/queries.ts';

/** Renders `children(app)` once the app is loaded. */
export function WithApp({ children }: { children: (app: App) => ReactNode }) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const app = useApp(id);
  if (!app.isSuccess) return <QueryStates query={app} notFound={<EmptyState title={t('apps.notFound')}>{t('common.notFoundText')}</EmptyState>} />;
  return <>{children(app.data)}</>;
}

/** Configuraciones › Aplicaciones oAuth › {app} [› Webhooks]. */
export function Crumbs({ app, webhooks }: { app: App; webhooks?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {t('nav.settings')} › <Link to="/apps">{t('nav.apps')}</Link> › <Link to={`/apps/${app.id}`}>{app.name}</Link>
      {webhooks ? (
        <>
          {' › '}
          <Link to={`/apps/${app.id}/webhooks`}>{t('webhooks.title')}</Link>
        </>
      ) : null}
    </>
  );
}
