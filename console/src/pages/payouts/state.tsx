// A batch's and a payment's status as coloured badges (the word says it; the colour only helps).
import { useTranslation } from 'react-i18next';
import { Badge } from '../../ui/feedback.tsx';
import type { BatchState, ItemState } from './types.ts';

const BATCH_TONES = { pending_upload: 'warning', submitted: 'info', settled: 'success' } as const;
const ITEM_TONES = { APPROVED: 'neutral', PROCESSING: 'info', PAID: 'success', FAILED: 'warning' } as const;

export function BatchStateBadge({ state }: { state: BatchState }) {
  const { t } = useTranslation();
  return <Badge tone={BATCH_TONES[state]}>{t(`payouts.states.${state}`)}</Badge>;
}

export function ItemStateBadge({ state }: { state: ItemState }) {
  const { t } = useTranslation();
  return <Badge tone={ITEM_TONES[state]}>{t(`payouts.itemStates.${state}`)}</Badge>;
}
