// "Pagos masivos": the merchant's payout batches, newest first, each with its status and what it
// debits; a batch in process is asked again until its payments are paid or failed.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { ButtonLink } from '../../ui/button.tsx';
import { EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader } from '../../ui/layout.tsx';
import { usePayoutBatches } from './queries.ts';
import { BatchStateBadge } from './state.tsx';
import type { PayoutBatch } from './types.ts';
import './payouts.css';

function BatchItem({ batch }: { batch: PayoutBatch }) {
  const { t } = useTranslation();
  const date = formatDate(batch.createdAt);
  const amount = formatMoney(batch.totalCharged, batch.currency);
  const counts = (['PROCESSING', 'PAID', 'FAILED'] as const)
    .filter((s) => batch.counts[s] > 0)
    .map((s) => `${t(`payouts.itemStates.${s}`)}: ${batch.counts[s]}`);
  return (
    <li className="list-item" data-testid="payout-batch" data-id={batch.id}>
      <div className="grow">
        <Link to={`/payouts/${batch.id}`} aria-label={t('payouts.openLabel', { date, amount, state: t(`payouts.states.${batch.state}`) })}>
          <strong>{t('payouts.batchOf', { date })}</strong>
        </Link>
        <div className="small muted">{[t('payouts.items', { count: batch.itemCount }), ...counts].join(' · ')}</div>
      </div>
      <div className="intent-side">
        <div className="amount">{amount}</div>
        <BatchStateBadge state={batch.state} />
      </div>
    </li>
  );
}

export function PayoutsPage() {
  const { t } = useTranslation();
  const batches = usePayoutBatches();
  let body;
  if (!batches.isSuccess) body = <QueryStates query={batches} />;
  else if (batches.data.length === 0)
    body = (
      <EmptyState title={t('payouts.emptyTitle')} action={<ButtonLink to="/payouts/new">{t('payouts.newBatch')}</ButtonLink>}>
        {t('payouts.emptyText')}
      </EmptyState>
    );
  else
    body = (
      <section className="card" aria-labelledby="batches-title">
        <div className="card-header">
          <h2 id="batches-title">{t('payouts.listTitle')}</h2>
          <span className="small muted">{t('payouts.live')}</span>
        </div>
        <ul className="list" data-testid="payout-batches">
          {batches.data.map((b) => (
            <BatchItem key={b.id} batch={b} />
          ))}
        </ul>
      </section>
    );
  return (
    <>
      <PageHeader title={t('payouts.title')} intro={t('payouts.intro')} actions={<ButtonLink to="/payouts/new">{t('payouts.newBatch')}</ButtonLink>} />
      {body}
    </>
  );
}
