// "Solicitudes": what merchants ask the operator for — a production app's activation and each
// permission — oldest first. Approve at once, or reject with a reason the merchant reads.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { Alert, Badge, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { RejectDialog } from './reject-dialog.tsx';
import { subjectLabel } from './subject.ts';
import { useDecide, usePendingRequests } from './queries.ts';
import type { PendingRequest } from './types.ts';

const keyOf = (r: PendingRequest) => `${r.appId}:${r.subject}`;

export function RequestsPage() {
  const { t } = useTranslation();
  const requests = usePendingRequests();
  const decide = useDecide();
  const [rejecting, setRejecting] = useState<PendingRequest>();
  const [busyKey, setBusyKey] = useState<string>();
  const [done, setDone] = useState<string>();

  const approve = (r: PendingRequest) => {
    setBusyKey(keyOf(r));
    setDone(undefined);
    decide.mutate(
      { appId: r.appId, subject: r.subject, approve: true },
      {
        onSuccess: () => setDone(t('operator.requests.approved', { what: subjectLabel(r.subject, t), app: r.appName })),
        onSettled: () => setBusyKey(undefined),
      },
    );
  };
  const reject = (reason: string) => {
    const r = rejecting!;
    decide.mutate(
      { appId: r.appId, subject: r.subject, approve: false, reason },
      {
        onSuccess: () => {
          setRejecting(undefined);
          setDone(t('operator.requests.rejected', { what: subjectLabel(r.subject, t), app: r.appName }));
        },
      },
    );
  };

  let body;
  if (!requests.isSuccess) body = <QueryStates query={requests} />;
  else if (requests.data.length === 0) body = <EmptyState title={t('operator.requests.emptyTitle')}>{t('operator.requests.emptyText')}</EmptyState>;
  else
    body = (
      <Section title={t('operator.requests.pending', { count: requests.data.length })} id="pending">
        <ul className="list">
          {requests.data.map((r) => {
            const what = subjectLabel(r.subject, t);
            return (
              <li className="list-item" key={keyOf(r)} data-testid="operator-request">
                <div className="grow">
                  <strong>{r.appName}</strong> <Badge tone={r.subject === 'activation' ? 'info' : 'neutral'}>{what}</Badge>
                  <div className="small muted">
                    {t('operator.requests.by', { name: r.owner.name, username: r.owner.username })} · {formatDate(r.requestedAt)}
                  </div>
                  <div className="small muted">{r.environment === 'sandbox' ? t('common.sandbox') : t('common.production')}</div>
                </div>
                <div className="row">
                  <Button
                    small
                    busy={busyKey === keyOf(r)}
                    busyLabel={t('operator.requests.approving')}
                    disabled={decide.isPending}
                    aria-label={t('operator.requests.approveLabel', { what, app: r.appName })}
                    onClick={() => approve(r)}
                  >
                    {t('operator.requests.approve')}
                  </Button>
                  <Button
                    small
                    variant="secondary"
                    disabled={decide.isPending}
                    aria-label={t('operator.requests.rejectLabel', { what, app: r.appName })}
                    onClick={() => {
                      decide.reset();
                      setRejecting(r);
                    }}
                  >
                    {t('operator.requests.reject')}
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
      </Section>
    );

  return (
    <>
      <PageHeader title={t('operator.requests.title')} intro={t('operator.requests.intro')} />
      {done ? <Alert tone="success">{done}</Alert> : null}
      {decide.error && !rejecting ? <Alert tone="error">{describeError(decide.error, t)}</Alert> : null}
      {body}
      <RejectDialog
        what={rejecting ? `${subjectLabel(rejecting.subject, t)} · ${rejecting.appName}` : undefined}
        busy={decide.isPending}
        error={rejecting ? decide.error : undefined}
        onReject={reject}
        onClose={() => setRejecting(undefined)}
      />
    </>
  );
}
