// The top of the payments page: the merchant's balance per currency and the daily volume chart
// (the chart's library loads only here, after the numbers).
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/format.ts';
import type { MerchantSummary } from '../../lib/types.ts';
import { Loading, QueryStates } from '../../ui/feedback.tsx';
import { Section } from '../../ui/layout.tsx';
import { useMerchantSummary } from './queries.ts';

const VolumeChart = lazy(() => import('./chart.tsx'));

function Volume({ summary }: { summary: MerchantSummary }) {
  const { t } = useTranslation();
  const active = summary.totals.filter((total) => total.count > 0);
  if (active.length === 0) return <p className="muted">{t('payments.volumeEmpty')}</p>;
  return (
    <>
      {active.map(({ currency, amount, count }) => {
        const days = summary.volume.filter((v) => v.currency === currency);
        return (
          <figure className="figure" key={currency}>
            <figcaption className="small muted" data-testid={`volume-${currency}`}>
              {t('payments.volumeTotal', { amount: formatMoney(amount, currency), count })}
            </figcaption>
            <Suspense fallback={<Loading />}>
              <VolumeChart days={days} currency={currency} />
            </Suspense>
          </figure>
        );
      })}
    </>
  );
}

export function MerchantSummarySection() {
  const { t } = useTranslation();
  const summary = useMerchantSummary();
  if (!summary.isSuccess) return <QueryStates query={summary} />;
  return (
    <div className="summary-grid">
      <div className="balances balances-stacked">
        {summary.data.wallets.map((w) => (
          <section className="card balance-card" key={w.id} aria-label={t('payments.balanceIn', { currency: w.currency })}>
            <div className="small muted">
              {t('payments.balance')} · {w.currency}
            </div>
            <div className="balance" data-testid={`merchant-balance-${w.currency}`}>
              {formatMoney(w.balance, w.currency)}
            </div>
          </section>
        ))}
      </div>
      <Section title={t('payments.volumeTitle')} id="volume">
        <p className="small muted">{t('payments.volumeIntro')}</p>
        <Volume summary={summary.data} />
      </Section>
    </div>
  );
}
