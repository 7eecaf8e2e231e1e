// A delivery's status as a badge: delivered, pending (retrying) or failed.
import { useTranslation } from 'react-i18next';
import type { DeliveryStatus } from '../../lib/types.ts';
import { Badge } from '../../ui/feedback.tsx';

const TONES = { succeeded: 'success', pending: 'info', failed: 'warning' } as const;

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return <Badge tone={TONES[status]}>{t(`webhooks.statuses.${status}`)}</Badge>;
}
