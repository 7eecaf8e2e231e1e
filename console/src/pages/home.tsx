// The first page after signing in: balances, and for a business the way to its applications.
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatMoney } from '../lib/format.ts';
import { useMe } from '../lib/session.tsx';
import { ButtonLink } from '../ui/button.tsx';
import { Alert, Loading } from '../ui/feedback.tsx';
import { PageHeader, Section } from '../ui/layout.tsx';
import { OperatorHomeSection } from './operator/home-section.tsx';

export function Home() {
  const { t } = useTranslation();
  const me = useMe();
  const [params] = useSearchParams();
  if (!me.data) return <Loading />;
  const { user, wallets } = me.data;
  return (
    <>
      <PageHeader title={t('home.title', { name: user.name })} intro={t('home.intro')} />
      {params.get('welcome') ? <Alert tone="success">{t('auth.registered')}</Alert> : null}
      <div className="grid grid-2">
        <Section
          title={t('home.wallets')}
          id="wallets"
          actions={
            user.type === 'operator' ? undefined : (
              <ButtonLink to="/wallet" variant="secondary" small>
                {t('home.goToWallet')}
              </ButtonLink>
            )
          }
        >
          {wallets.length === 0 ? (
            <p className="muted">{t('home.noWallets')}</p>
          ) : (
            <ul className="list">
              {wallets.map((w) => (
                <li className="list-item" key={w.id}>
                  <div className="grow">
                    <div className="small muted">
                      {t('home.available')} · {w.currency}
                    </div>
                    <div className="balance">{formatMoney(w.balance, w.currency)}</div>
                    {w.heldMinor > 0 ? <div className="small muted">{t('home.held', { amount: formatMoney(w.held, w.currency) })}</div> : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Section>
        {user.type === 'business' ? (
          <Section title={t('home.merchantTitle')} id="merchant">
            <p>{t('home.merchantText')}</p>
            <ButtonLink to="/apps">{t('home.goToApps')}</ButtonLink>
          </Section>
        ) : null}
        {user.type === 'operator' ? <OperatorHomeSection /> : null}
      </div>
    </>
  );
}
