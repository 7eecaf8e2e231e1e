// The frame around every page: skip link, top bar (brand, environment, navigation, language,
// sign-out) and the main landmark.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';
import { currentLang, setLang } from './i18n.ts';
import { useConfig, useMe, useSignOut } from './lib/session.tsx';
import { Badge } from './ui/feedback.tsx';
import { Button } from './ui/button.tsx';
import { OperatorNav } from './pages/operator/nav.tsx';

function LanguageSwitch() {
  const { t } = useTranslation();
  const lang = currentLang();
  const other = lang === 'es' ? 'en' : 'es';
  return (
    <Button
      variant="secondary"
      small
      onClick={() => setLang(other)}
      aria-label={`${t('common.language')}: ${other === 'en' ? 'English' : 'Español'}`}
      lang={other}
    >
      {other === 'en' ? 'English' : 'Español'}
    </Button>
  );
}

function EnvironmentBadge() {
  const { t } = useTranslation();
  const config = useConfig();
  if (!config.data) return null;
  return config.data.environment === 'sandbox' ? <Badge tone="warning">{t('common.sandbox')}</Badge> : <Badge tone="info">{t('common.production')}</Badge>;
}

function Frame({ nav, tools, children, auth }: { nav?: ReactNode; tools?: ReactNode; children: ReactNode; auth?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={auth ? 'auth-page' : undefined}>
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link className="brand" to="/">
            {t('common.brand')} <span className="muted">· {t('common.console')}</span>
          </Link>
          <EnvironmentBadge />
          <div className="topbar-tools">
            <LanguageSwitch />
            {tools}
          </div>
        </div>
        {nav ? <div className="navbar">{nav}</div> : null}
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function SignedInShell() {
  const { t } = useTranslation();
  const me = useMe();
  const signOut = useSignOut();
  const business = me.data?.user.type === 'business';
  const operator = me.data?.user.type === 'operator';
  return (
    <Frame
      nav={
        <nav className="nav" aria-label={t('common.menu')}>
          <NavLink to="/" end>
            {t('nav.home')}
          </NavLink>
          {operator ? null : <NavLink to="/wallet">{t('nav.wallet')}</NavLink>}
          {business ? <NavLink to="/payments">{t('nav.payments')}</NavLink> : null}
          {business ? <NavLink to="/payouts">{t('payouts.nav')}</NavLink> : null}
          {business ? <NavLink to="/apps">{t('nav.apps')}</NavLink> : null}
          {operator ? <OperatorNav /> : null}
        </nav>
      }
      tools={
        <>
          <span className="small muted who">{me.data ? t('common.signedInAs', { name: me.data.user.username }) : null}</span>
          <Button variant="secondary" small busy={signOut.isPending} busyLabel={t('common.signingOut')} onClick={() => signOut.mutate()}>
            {t('common.signOut')}
          </Button>
        </>
      }
    >
      <Outlet />
    </Frame>
  );
}

export function AuthShell() {
  return (
    <Frame auth>
      <div className="narrow">
        <Outlet />
      </div>
    </Frame>
  );
}
