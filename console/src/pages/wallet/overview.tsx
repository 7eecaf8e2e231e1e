// "Mi billetera": balances per currency, the payment requests merchants addressed to the
// person (live), the latest movements, the PIN and, in sandbox, test money.
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/format.ts';
import type { WalletSummary } from '../../lib/types.ts';
import { ButtonLink } from '../../ui/button.tsx';
import { QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { RecentMovements } from './movements.tsx';
import { PinState } from './pin.tsx';
import { useWallet } from './queries.ts';
import { RequestsSection } from './requests.tsx';
import { TopUpSection } from './top-up.tsx';

function Balances({ summary }: { summary: WalletSummary }) {
  const { t } = useTranslation();
  if (summary.wallets.length === 0) return <p className="muted">{t('home.noWallets')}</p>;
  return (
    <div className="balances">
      {summary.wallets.map((w) => (
        <section className="card balance-card" key={w.id} aria-label={t('wallet.balanceIn', { currency: w.currency })}>
          <div className="small muted">
            {t('home.available')} · {w.currency}
          </div>
          <div className="balance" data-testid={`balance-${w.currency}`}>
            {formatMoney(w.balance, w.currency)}
          </div>
          {w.heldMinor > 0 ? <div className="small muted">{t('home.held', { amount: formatMoney(w.held, w.currency) })}</div> : null}
        </section>
      ))}
    </div>
  );
}

function Security({ summary }: { summary: WalletSummary }) {
  const { t } = useTranslation();
  return (
    <Section title={t('wallet.security')} id="security">
      <p className="small muted">{summary.pin.set ? (summary.pin.locked ? t('wallet.pinLockedText') : t('wallet.pinIsSet')) : t('wallet.pinMissingText')}</p>
      <ButtonLink to="/wallet/pin" variant="secondary" small>
        {summary.pin.set ? t('wallet.pinChange') : t('wallet.pinCreate')}
      </ButtonLink>
    </Section>
  );
}

export function WalletPage() {
  const { t } = useTranslation();
  const wallet = useWallet();
  const header = (
    <PageHeader
      title={t('wallet.title')}
      intro={t('wallet.intro')}
      actions={
        <>
          <ButtonLink to="/wallet/send">{t('wallet.sendTitle')}</ButtonLink>
          <ButtonLink to="/wallet/movements" variant="secondary">
            {t('nav.movements')}
          </ButtonLink>
        </>
      }
    />
  );
  if (!wallet.isSuccess) return <QueryStates query={wallet} header={header} />;
  return (
    <>
      {header}
      <PinState pin={wallet.data.pin} />
      <Balances summary={wallet.data} />
      <div className="grid grid-2">
        <div>
          <RequestsSection />
          <RecentMovements />
        </div>
        <div>
          <Security summary={wallet.data} />
          <TopUpSection summary={wallet.data} />
        </div>
      </div>
    </>
  );
}
