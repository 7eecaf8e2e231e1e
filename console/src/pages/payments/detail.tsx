// One payment intent of the merchant: what was asked, its state history, the payment with its
// fee, the ledger postings (the payment's and, once annulled, the reversal's), the items and
// distributions, the return-URL calls — and the annulment, within 24 h, after a confirmation.
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDate, formatMoney } from '../../lib/format.ts';
import type { MerchantIntentDetail } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { Alert, QueryError, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { useApps } from '../apps/queries.ts';
import { Postings } from './postings.tsx';
import { useAnnulIntent, useMerchantIntent } from './queries.ts';
import { IntentStateBadge } from './state.tsx';

function Summary({ intent, appName }: { intent: MerchantIntentDetail; appName: string }) {
  const { t } = useTranslation();
  const invoice = intent.invoiceNumber;
  return (
    <Section title={t('payments.summary')} id="summary">
      <dl className="details">
        <dt>{t('payments.state')}</dt>
        <dd data-testid="intent-state">
          <IntentStateBadge state={intent.state} />
        </dd>
        <dt>{t('payments.amount')}</dt>
        <dd className="amount">{formatMoney(intent.amount, intent.currency)}</dd>
        <dt>{t('payments.concept')}</dt>
        <dd>{intent.description || '—'}</dd>
        {invoice ? (
          <>
            <dt>{t('payments.invoice')}</dt>
            <dd>{invoice}</dd>
          </>
        ) : null}
        <dt>{t('payments.kind')}</dt>
        <dd>{t(`payments.kinds.${intent.kind}`)}</dd>
        <dt>{t('payments.app')}</dt>
        <dd>{appName || '—'}</dd>
        <dt>{intent.payer ? t('payments.payer') : t('payments.recipient')}</dt>
        <dd>{intent.payer ?? intent.recipient ?? '—'}</dd>
        <dt>{t('payments.createdAt')}</dt>
        <dd>{formatDate(intent.createdAt)}</dd>
        <dt>{t('payments.id')}</dt>
        <dd className="mono small">{intent.id}</dd>
      </dl>
    </Section>
  );
}

function History({ intent }: { intent: MerchantIntentDetail }) {
  const { t } = useTranslation();
  return (
    <Section title={t('payments.history')} id="history">
      <ol className="timeline" data-testid="intent-history">
        {intent.history.map((h) => (
          <li key={h.state}>
            <IntentStateBadge state={h.state} />
            <span className="small muted">{formatDate(h.at)}</span>
          </li>
        ))}
      </ol>
    </Section>
  );
}

function Payment({ intent }: { intent: MerchantIntentDetail }) {
  const { t } = useTranslation();
  const p = intent.payment;
  return (
    <Section title={t('payments.payment')} id="payment">
      {p ? (
        <dl className="details" data-testid="intent-payment">
          <dt>{t('payments.reference')}</dt>
          <dd className="mono">{p.ref}</dd>
          <dt>{t('payments.paymentState')}</dt>
          <dd>{t(`payments.paymentStates.${p.state}`)}</dd>
          <dt>{t('payments.amount')}</dt>
          <dd>{formatMoney(p.amount, intent.currency)}</dd>
          <dt>{t('payments.fee')}</dt>
          <dd data-testid="intent-fee">{formatMoney(p.fee, intent.currency)}</dd>
          <dt>{t('payments.net')}</dt>
          <dd>
            <strong>{formatMoney(p.net, intent.currency)}</strong>
          </dd>
        </dl>
      ) : (
        <p className="muted">{t('payments.noPayment')}</p>
      )}
    </Section>
  );
}

function Transactions({ intent }: { intent: MerchantIntentDetail }) {
  const { t } = useTranslation();
  const money = (amount: string) => formatMoney(amount, intent.currency);
  const items = intent.transactions.flatMap((tx) => tx.items);
  const distributions = intent.transactions.flatMap((tx) => tx.distributions);
  return (
    <Section title={t('payments.items')} id="items">
      {items.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('payments.items')}</th>
              <th scope="col" className="num">
                {t('payments.quantity')}
              </th>
              <th scope="col" className="num">
                {t('payments.price')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr key={i}>
                <td>
                  {item.name}
                  {item.sku ? <span className="small muted"> · {item.sku}</span> : null}
                </td>
                <td className="num">{item.quantity}</td>
                <td className="num">{money(item.price)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {/* What the merchant declared (sub-total, tax, shipping), then what was charged. */}
      <dl className="details totals">
        {(['items', 'tax', 'shipping'] as const).map((k) => (
          <Fragment key={k}>
            <dt>{t(`payments.totals.${k}`)}</dt>
            <dd>{money(intent.totals[k])}</dd>
          </Fragment>
        ))}
        <dt>{t('payments.totals.amount')}</dt>
        <dd className="amount">{formatMoney(intent.amount, intent.currency)}</dd>
      </dl>
      <h3>{t('payments.distributions')}</h3>
      {distributions.length ? (
        <ul className="list">
          {distributions.map((d, i) => (
            <li className="list-item" key={i}>
              <div className="grow">
                <div className="mono small">{d.destination}</div>
                <div className="small muted">{d.description}</div>
              </div>
              <div className="amount">{money(d.amount)}</div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted">{t('payments.noDistributions')}</p>
      )}
    </Section>
  );
}

function Responses({ intent }: { intent: MerchantIntentDetail }) {
  const { t } = useTranslation();
  return (
    <Section title={t('payments.responses')} id="responses">
      {intent.historyResponses.length ? (
        <ul className="list">
          {intent.historyResponses.map((h, i) => (
            <li className="list-item" key={i}>
              <div className="grow">
                <div className="mono small break">
                  {h.method} {h.uri}
                </div>
                <div className="small muted break">{h.error ?? h.body ?? ''}</div>
              </div>
              <span className={`badge ${h.statusCode && h.statusCode < 400 ? 'badge-success' : 'badge-warning'}`}>
                {h.statusCode ? t('payments.status', { code: h.statusCode }) : t('payments.noStatus')}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted">{t('payments.noResponses')}</p>
      )}
    </Section>
  );
}

export function PaymentDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const intent = useMerchantIntent(id);
  const annul = useAnnulIntent(id);
  const apps = useApps();
  const [confirming, setConfirming] = useState(false);
  const crumbs = <Link to="/payments">{t('payments.backToList')}</Link>;
  if (!intent.isSuccess) return <QueryStates query={intent} header={<PageHeader title={t('payments.detailTitle')} crumbs={crumbs} />} />;
  const data = intent.data;
  const amount = formatMoney(data.amount, data.currency);
  const appName = apps.data?.find((a) => a.id === data.appId)?.name ?? '';
  const annulAction = data.annulUntil ? (
    <Button variant="danger" onClick={() => setConfirming(true)}>
      {t('payments.annul')}
    </Button>
  ) : undefined;
  return (
    <>
      <PageHeader title={`${t('payments.detailTitle')} · ${amount}`} intro={data.description} crumbs={crumbs} actions={annulAction} />
      {annul.isSuccess ? <Alert tone="success">{t('payments.annulled')}</Alert> : null}
      {data.annulUntil ? <p className="small muted">{t('payments.annulHint', { date: formatDate(data.annulUntil) })}</p> : null}
      <div className="grid grid-2">
        <div>
          <Summary intent={data} appName={appName} />
          <History intent={data} />
        </div>
        <div>
          <Payment intent={data} />
          <Postings intent={data} />
        </div>
      </div>
      <Transactions intent={data} />
      <Responses intent={data} />
      <ConfirmDialog
        open={confirming}
        title={t('payments.annulTitle')}
        confirmLabel={t('payments.annulConfirm')}
        busy={annul.isPending}
        busyLabel={t('payments.annulling')}
        danger
        onConfirm={() => annul.mutate(undefined, { onSettled: () => setConfirming(false) })}
        onClose={() => setConfirming(false)}
      >
        <p>{t('payments.annulText', { amount })}</p>
      </ConfirmDialog>
      {annul.isError ? <QueryError error={annul.error} /> : null}
    </>
  );
}
