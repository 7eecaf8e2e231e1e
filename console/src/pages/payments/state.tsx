// A payment intent's state as a coloured badge (the word says it; the colour only helps).
import { useTranslation } from 'react-i18next';
import type { IntentState } from '../../lib/types.ts';
import { Badge } from '../../ui/feedback.tsx';

const TONES = { created: 'info', approved: 'info', executed: 'success', annulled: 'warning', rejected: 'neutral', expired: 'neutral' } as const;

export function IntentStateBadge({ state }: { state: IntentState | 'approved' }) {
  const { t } = useTranslation();
  return <Badge tone={TONES[state]}>{t(`payments.states.${state}`)}</Badge>;
}
