// "Solicitudes de pago": what merchants asked this person to pay through the billing API. The
// list refreshes on its own (see REQUESTS_POLL_MS) and says so to screen readers when one
// arrives; each is paid or declined with the PIN.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../lib/format.ts';
import type { PaymentRequest } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { Alert, Badge, QueryStates } from '../../ui/feedback.tsx';
import { Section } from '../../ui/layout.tsx';
import { PinDialog } from '../../ui/pin-dialog.tsx';
import { usePaymentRequests, usePayRequest, useRejectRequest } from './queries.ts';

type Pending = { request: PaymentRequest; action: 'pay' | 'reject' };

function RequestItem({ request, onAct }: { request: PaymentRequest; onAct: (action: Pending['action']) => void }) {
  const { t } = useTranslation();
  const amount = formatMoney(request.amount, request.currency);
  return (
    <li className="list-item request-item" data-testid="payment-request">
      <div className="grow">
        <div className="request-from">{request.merchantName || request.appName}</div>
        <div className="small muted">
          {request.description}
          {request.invoiceNumber ? ` · ${t('wallet.invoice', { number: request.invoiceNumber })}` : ''}
        </div>
        <div className="small muted">{t('wallet.requestExpires', { date: formatDate(request.expiresAt) })}</div>
      </div>
      <div className="request-side">
        <div className="amount">{amount}</div>
        <div className="row">
          <Button variant="secondary" small onClick={() => onAct('reject')} aria-label={t('wallet.rejectLabel', { amount, from: request.merchantName })}>
            {t('wallet.reject')}
          </Button>
          <Button small onClick={() => onAct('pay')} aria-label={t('wallet.payLabel', { amount, from: request.merchantName })}>
            {t('wallet.pay')}
          </Button>
        </div>
      </div>
    </li>
  );
}

/** A polite announcement when the list grows while the page is open (not on first load). */
function useArrivals(requests: PaymentRequest[] | undefined): string {
  const { t } = useTranslation();
  const known = useRef<Set<string> | undefined>(undefined);
  const [note, setNote] = useState('');
  useEffect(() => {
    if (!requests) return;
    const fresh = known.current ? requests.filter((r) => !known.current!.has(r.id)) : [];
    known.current = new Set(requests.map((r) => r.id));
    if (fresh.length) setNote(t('wallet.requestArrived', { from: fresh[0]!.merchantName, amount: formatMoney(fresh[0]!.amount, fresh[0]!.currency) }));
  }, [requests, t]);
  return note;
}

export function RequestsSection() {
  const { t } = useTranslation();
  const requests = usePaymentRequests();
  const pay = usePayRequest();
  const reject = useRejectRequest();
  const [pending, setPending] = useState<Pending>();
  const [done, setDone] = useState('');
  const arrival = useArrivals(requests.data);

  const confirm = async (pin: string) => {
    if (!pending) return;
    const { request, action } = pending;
    const amount = formatMoney(request.amount, request.currency);
    if (action === 'pay') await pay.mutateAsync({ id: request.id, pin });
    else await reject.mutateAsync({ id: request.id, pin });
    setDone(action === 'pay' ? t('wallet.paid', { amount, from: request.merchantName }) : t('wallet.rejected', { from: request.merchantName }));
    setPending(undefined);
  };

  let body;
  if (!requests.isSuccess) body = <QueryStates query={requests} />;
  else if (requests.data.length === 0) body = <p className="muted">{t('wallet.noRequests')}</p>;
  else
    body = (
      <ul className="list">
        {requests.data.map((r) => (
          <RequestItem key={r.id} request={r} onAct={(action) => setPending({ request: r, action })} />
        ))}
      </ul>
    );

  const count = requests.data?.length ?? 0;
  return (
    <Section title={t('wallet.requests')} id="requests" actions={count ? <Badge tone="warning">{t('wallet.requestCount', { count })}</Badge> : undefined}>
      <p className="small muted">{t('wallet.requestsIntro')}</p>
      {done ? <Alert tone="success">{done}</Alert> : null}
      <span className="visually-hidden" role="status">
        {arrival}
      </span>
      {body}
      <PinDialog
        open={pending !== undefined}
        title={pending?.action === 'reject' ? t('wallet.rejectTitle') : t('wallet.payTitle')}
        confirmLabel={pending?.action === 'reject' ? t('wallet.rejectConfirm') : t('wallet.payConfirm')}
        busyLabel={pending?.action === 'reject' ? t('wallet.rejecting') : t('wallet.paying')}
        danger={pending?.action === 'reject'}
        onConfirm={confirm}
        onClose={() => setPending(undefined)}
      >
        {pending ? (
          <dl className="details compact">
            <dt>{t('wallet.from')}</dt>
            <dd>{pending.request.merchantName}</dd>
            <dt>{t('wallet.concept')}</dt>
            <dd>{pending.request.description}</dd>
            <dt>{t('wallet.amount')}</dt>
            <dd className="amount">{formatMoney(pending.request.amount, pending.request.currency)}</dd>
          </dl>
        ) : null}
      </PinDialog>
    </Section>
  );
}
