// "Webhooks" on the application page: how many endpoints it has, and the way to its webhooks
// and its delivery log.
import { useTranslation } from 'react-i18next';
import type { App } from '../../lib/types.ts';
import { ButtonLink } from '../../ui/button.tsx';
import { Section } from '../../ui/layout.tsx';
import { useEndpoints } from './queries.ts';

export function WebhooksSection({ app }: { app: App }) {
  const { t } = useTranslation();
  const endpoints = useEndpoints(app.id);
  return (
    <Section title={t('webhooks.title')} id="webhooks">
      <p className="muted small">{t('webhooks.sectionText')}</p>
      {endpoints.data ? <p>{t('webhooks.endpointsCount', { count: endpoints.data.length })}</p> : null}
      <div className="row">
        <ButtonLink to={`/apps/${app.id}/webhooks`}>{t('webhooks.open')}</ButtonLink>
        <ButtonLink variant="secondary" to={`/apps/${app.id}/webhooks/deliveries`}>
          {t('webhooks.openLog')}
        </ButtonLink>
      </div>
    </Section>
  );
}
