import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../ui/button.tsx';
import { EmptyState } from '../ui/feedback.tsx';
import { useTitle } from '../title.tsx';

export function NotFound() {
  const { t } = useTranslation();
  useTitle(t('common.notFoundTitle'));
  return (
    <EmptyState title={t('common.notFoundTitle')} action={<ButtonLink to="/">{t('common.goHome')}</ButtonLink>}>
      {t('common.notFoundText')}
    </EmptyState>
  );
}
