// A batch's totals by currency (payments, fee, what is debited), and its submission after a
// confirmation that says how much leaves the wallet.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatMoney } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import { useMe } from '../../lib/session.tsx';
import { Button } from '../../ui/button.tsx';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { useSubmitBatch } from './queries.ts';
import type { PayoutBatch } from './types.ts';

export function TotalsTable({ batches }: { batches: PayoutBatch[] }) {
  const { t } = useTranslation();
  const estimate = batches.some((b) => b.feeIsEstimate);
  return (
    <table className="table rows-table" data-testid="payout-totals">
      <caption>{t('payouts.totalsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('payouts.currency')}</th>
          <th scope="col" className="num">
            {t('payouts.count')}
          </th>
          <th scope="col" className="num">
            {t('payouts.total')}
          </th>
          <th scope="col" className="num">
            {estimate ? t('payouts.feeEstimate') : t('payouts.fee')}
          </th>
          <th scope="col" className="num">
            {t('payouts.charged')}
          </th>
        </tr>
      </thead>
      <tbody>
        {batches.map((b) => (
          <tr key={b.id}>
            <th scope="row" data-label={t('payouts.currency')}>
              {b.currency}
            </th>
            <td className="num" data-label={t('payouts.count')}>
              {b.itemCount}
            </td>
            <td className="num" data-label={t('payouts.total')}>
              {formatMoney(b.total, b.currency)}
            </td>
            <td className="num" data-label={b.feeIsEstimate ? t('payouts.feeEstimate') : t('payouts.fee')}>
              {formatMoney(b.fee, b.currency)}
            </td>
            <td className="num amount" data-label={t('payouts.charged')}>
              {formatMoney(b.totalCharged, b.currency)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The submit button of a batch pending upload; once submitted, the batch's page opens. */
export function SubmitBatch({ batch, several }: { batch: PayoutBatch; several?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const submit = useSubmitBatch();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const wallet = me.data?.wallets.find((w) => w.currency === batch.currency);
  const amount = formatMoney(batch.totalCharged, batch.currency);
  const confirm = () =>
    submit.mutate(batch.id, {
      onSuccess: (done) => {
        setOpen(false);
        navigate(`/payouts/${done.id}`, { state: { submitted: true } });
      },
      onError: () => setOpen(false),
    });
  return (
    <div className="stack">
      {wallet ? <p className="small muted">{t('payouts.available', { amount: formatMoney(wallet.balance, wallet.currency) })}</p> : null}
      {submit.isError ? <Alert tone="error">{describeError(submit.error, t)}</Alert> : null}
      <div className="row">
        <Button onClick={() => setOpen(true)} disabled={batch.itemCount === 0}>
          {several ? `${t('payouts.submit')} (${batch.currency})` : t('payouts.submit')}
        </Button>
      </div>
      <ConfirmDialog
        open={open}
        title={t('payouts.submitTitle')}
        confirmLabel={t('payouts.submitConfirm')}
        busy={submit.isPending}
        busyLabel={t('payouts.submitting')}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>{t('payouts.submitText', { count: batch.itemCount, amount })}</p>
      </ConfirmDialog>
    </div>
  );
}
