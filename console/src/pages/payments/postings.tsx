// An intent's ledger postings, entry by entry (the payment's, then the annulment's that
// reverses it): whose account, and the signed amount. Each entry adds up to zero.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/format.ts';
import type { IntentPosting, MerchantIntentDetail } from '../../lib/types.ts';
import { Section } from '../../ui/layout.tsx';

function accountName(p: IntentPosting, t: TFunction): string {
  if (p.owner) return `${p.owner.name} (${p.owner.username})`;
  return p.systemCode ? t(`payments.accounts.${p.systemCode}`) : p.accountId;
}

export function Postings({ intent }: { intent: MerchantIntentDetail }) {
  const { t } = useTranslation();
  const entries = (['payment', 'annulment'] as const).filter((e) => intent.postings.some((p) => p.entry === e));
  return (
    <Section title={t('payments.postings')} id="postings">
      {entries.length === 0 ? (
        <p className="muted">{t('payments.noPayment')}</p>
      ) : (
        <>
          <p className="small muted">{t('payments.postingsIntro')}</p>
          {entries.map((entry) => (
            <table className="table" key={entry} data-testid={`postings-${entry}`}>
              <caption>{t(`payments.entry.${entry}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('payments.account')}</th>
                  <th scope="col" className="num">
                    {t('payments.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {intent.postings
                  .filter((p) => p.entry === entry)
                  .map((p, i) => (
                    <tr key={i}>
                      <td>{accountName(p, t)}</td>
                      <td className={`num ${Number(p.amount) < 0 ? 'amount-out' : 'amount-in'}`}>{formatMoney(p.amount, p.currency, { signed: true })}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          ))}
        </>
      )}
    </Section>
  );
}
