// The operator's first stop on the home page: what waits for it, and the way to it.
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../../ui/button.tsx';
import { Section } from '../../ui/layout.tsx';
import { usePendingRequests } from './queries.ts';

export function OperatorHomeSection() {
  const { t } = useTranslation();
  const pending = usePendingRequests();
  return (
    <Section title={t('operator.home.title')} id="operator">
      <p>{pending.data ? t('operator.home.pending', { count: pending.data.length }) : t('operator.home.text')}</p>
      <ButtonLink to="/operator/requests">{t('operator.home.goToRequests')}</ButtonLink>
    </Section>
  );
}
