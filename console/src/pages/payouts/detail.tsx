// One payout batch: its status and totals, the payments by status, each payment with its bank
// and status (a failed one with its reason), and — while pending upload — its submission. The
// page asks again while payments are in process, so their status follows without reloading.
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { Alert, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { usePayoutBatch } from './queries.ts';
import { BatchStateBadge, ItemStateBadge } from './state.tsx';
import { SubmitBatch, TotalsTable } from './totals.tsx';
import type { PayoutBatch } from './types.ts';
import './payouts.css';

const ITEM_STATES = ['APPROVED', 'PROCESSING', 'PAID', 'FAILED'] as const;

function Summary({ batch }: { batch: PayoutBatch }) {
  const { t } = useTranslation();
  return (
    <Section title={t('payouts.summary')} id="summary">
      <dl className="details">
        <dt>{t('payouts.state')}</dt>
        <dd data-testid="batch-state">
          <BatchStateBadge state={batch.state} />
        </dd>
        <dt>{t('payouts.createdAt')}</dt>
        <dd>{formatDate(batch.createdAt)}</dd>
        {batch.submittedAt ? (
          <>
            <dt>{t('payouts.submittedAt')}</dt>
            <dd>{formatDate(batch.submittedAt)}</dd>
          </>
        ) : null}
        {batch.settledAt ? (
          <>
            <dt>{t('payouts.settledAt')}</dt>
            <dd>{formatDate(batch.settledAt)}</dd>
          </>
        ) : null}
        <dt>{t('payouts.byState')}</dt>
        <dd>
          <ul className="tags" data-testid="batch-counts">
            {ITEM_STATES.filter((s) => batch.counts[s] > 0).map((s) => (
              <li key={s} className="tag">
                {t(`payouts.itemStates.${s}`)}: {batch.counts[s]}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <TotalsTable batches={[batch]} />
      {batch.state === 'pending_upload' ? <SubmitBatch batch={batch} /> : null}
    </Section>
  );
}

function Items({ batch }: { batch: PayoutBatch }) {
  const { t } = useTranslation();
  return (
    <Section title={t('payouts.itemsTitle')} id="items">
      {batch.state === 'submitted' ? <p className="small muted">{t('payouts.followLive')}</p> : null}
      <table className="table rows-table" data-testid="batch-items">
        <caption className="visually-hidden">{t('payouts.itemsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('payouts.ref')}</th>
            <th scope="col">{t('payouts.holder')}</th>
            <th scope="col">{t('payouts.bank')}</th>
            <th scope="col" className="num">
              {t('payouts.amount')}
            </th>
            <th scope="col">{t('payouts.status')}</th>
          </tr>
        </thead>
        <tbody>
          {(batch.items ?? []).map((item) => (
            <tr key={item.ref} data-testid="batch-item" data-ref={item.ref}>
              <th scope="row" data-label={t('payouts.ref')}>
                <span className="mono">{item.ref}</span>
                <div className="small muted">{item.reference}</div>
              </th>
              <td data-label={t('payouts.holder')}>
                {item.nameAccount}
                <div className="small muted">{item.identificationNumber}</div>
              </td>
              <td data-label={t('payouts.bank')}>
                {item.bankName}
                <div className="small muted mono">{item.bankAccount}</div>
              </td>
              <td className="num" data-label={t('payouts.amount')}>
                {formatMoney(item.amount, item.currency)}
                <div className="small muted">{t(`payouts.types.${item.type}`)}</div>
              </td>
              <td data-label={t('payouts.status')}>
                <ItemStateBadge state={item.status} />
                {item.failureReason ? <div className="small muted">{t('payouts.reason', { reason: item.failureReason })}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function PayoutBatchDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const batch = usePayoutBatch(id);
  const justSubmitted = (location.state as { submitted?: boolean } | null)?.submitted === true;
  const crumbs = <Link to="/payouts">{t('payouts.backToList')}</Link>;
  if (!batch.isSuccess) return <QueryStates query={batch} header={<PageHeader title={t('payouts.detailTitle')} crumbs={crumbs} />} />;
  const b = batch.data;
  return (
    <>
      <PageHeader title={t('payouts.batchOf', { date: formatDate(b.createdAt) })} crumbs={crumbs} />
      {justSubmitted && b.state === 'submitted' ? <Alert tone="success">{t('payouts.submitted')}</Alert> : null}
      <Summary batch={b} />
      <Items batch={b} />
      <Section title={t('payouts.bankFileTitle')} id="bank-file">
        <p className="small">{b.state === 'pending_upload' ? t('payouts.bankFilePending') : t('payouts.bankFileOperator')}</p>
      </Section>
    </>
  );
}
