import { useTranslation } from 'react-i18next';
import type { App } from '../../lib/types.ts';
import { Badge } from '../../ui/feedback.tsx';

export function AppStatus({ app }: { app: App }) {
  const { t } = useTranslation();
  if (app.ready) return <Badge tone="success">{t('apps.ready')}</Badge>;
  if (app.activationRequestedAt) return <Badge tone="info">{t('apps.requested')}</Badge>;
  return <Badge tone="warning">{t('apps.pending')}</Badge>;
}
