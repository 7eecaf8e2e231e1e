// Rejecting a request needs a reason (3 to 500 characters, the server's rule): the merchant
// reads it on its application page.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { APP_MESSAGES, readRejectionReason } from '../../../../src/modules/apps/rules.ts';
import { currentLang } from '../../i18n.ts';
import { ApiError } from '../../lib/api.ts';
import { describeError, localize } from '../../lib/messages.ts';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { TextArea } from '../../ui/fields.tsx';

interface Props {
  /** What is rejected ("Activación en producción · Mi Tienda"); no dialog while undefined. */
  what: string | undefined;
  busy: boolean;
  error: unknown;
  onReject: (reason: string) => void;
  onClose: () => void;
}

export function RejectDialog({ what, busy, error, onReject, onClose }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    if (what) {
      setReason('');
      setProblem(undefined);
    }
  }, [what]);
  const serverField = error instanceof ApiError ? error.fields.reason : undefined;
  const confirm = () => {
    const checked = readRejectionReason(reason);
    if (checked === undefined) return setProblem(APP_MESSAGES.rejectionReason[currentLang()]);
    setProblem(undefined);
    onReject(checked);
  };
  return (
    <ConfirmDialog
      open={what !== undefined}
      title={t('operator.requests.rejectTitle')}
      confirmLabel={t('operator.requests.reject')}
      busy={busy}
      busyLabel={t('operator.requests.rejecting')}
      danger
      onConfirm={confirm}
      onClose={onClose}
    >
      <p>
        <strong>{what}</strong>
      </p>
      <p className="small muted">{t('operator.requests.rejectText')}</p>
      {error && !serverField ? <Alert tone="error">{describeError(error, t)}</Alert> : null}
      <TextArea
        label={t('operator.requests.reason')}
        value={reason}
        maxLength={500}
        rows={3}
        onChange={(e) => setReason(e.target.value)}
        error={problem ?? (serverField && error instanceof ApiError ? localize(error, serverField, 'reason') : undefined)}
      />
    </ConfirmDialog>
  );
}
