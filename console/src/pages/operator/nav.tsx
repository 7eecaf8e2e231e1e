// The operator's entries of the top navigation, and its pages' routes (main.tsx spreads them).
import type { RouteObject } from 'react-router';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { CodesPage } from './codes.tsx';
import { FeesPage } from './fees.tsx';
import { LedgerPage } from './ledger.tsx';
import { OperatorPayoutsPage } from './payouts.tsx';
import { RequestsPage } from './requests.tsx';
import { UsersPage } from './users.tsx';
import './operator.css';

const PAGES = [
  { path: 'operator/requests', key: 'requests', element: <RequestsPage /> },
  { path: 'operator/users', key: 'users', element: <UsersPage /> },
  { path: 'operator/codes', key: 'codes', element: <CodesPage /> },
  { path: 'operator/fees', key: 'fees', element: <FeesPage /> },
  { path: 'operator/ledger', key: 'ledger', element: <LedgerPage /> },
  { path: 'operator/payouts', key: 'payouts', element: <OperatorPayoutsPage /> },
] as const;

export const operatorRoutes: RouteObject[] = PAGES.map(({ path, element }) => ({ path, element }));

export function OperatorNav() {
  const { t } = useTranslation();
  return (
    <>
      {PAGES.map(({ path, key }) => (
        <NavLink key={key} to={`/${path}`}>
          {t(`operator.nav.${key}`)}
        </NavLink>
      ))}
    </>
  );
}
