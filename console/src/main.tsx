// The web console: React, react-router (pages under /console/), TanStack Query (server state),
// react-hook-form (forms), i18next (Spanish first, English on the switch).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import './i18n.ts';
import './styles.css';
import { ApiError } from './lib/api.ts';
import { RequireAuth, SessionWatcher } from './lib/session.tsx';
import { AuthShell, SignedInShell } from './shell.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { ForgotPassword, ResetPassword } from './pages/password.tsx';
import { SignUp } from './pages/sign-up.tsx';
import { Home } from './pages/home.tsx';
import { NotFound } from './pages/not-found.tsx';
import { AppsList } from './pages/apps/list.tsx';
import { RegisterApp } from './pages/apps/register.tsx';
import { AppDetail } from './pages/apps/detail.tsx';
import { WebhooksPage } from './pages/webhooks/endpoints.tsx';
import { DeliveriesPage } from './pages/webhooks/deliveries.tsx';
import { DeliveryPage } from './pages/webhooks/delivery.tsx';
import { WalletPage } from './pages/wallet/overview.tsx';
import { MovementsPage } from './pages/wallet/movements.tsx';
import { SendMoney } from './pages/wallet/send.tsx';
import { PinPage } from './pages/wallet/pin.tsx';
import { PaymentsPage } from './pages/payments/list.tsx';
import { PaymentDetail } from './pages/payments/detail.tsx';
import { PayoutsPage } from './pages/payouts/list.tsx';
import { NewPayoutBatch } from './pages/payouts/new.tsx';
import { PayoutBatchDetail } from './pages/payouts/detail.tsx';
import { FocusOnNavigation } from './title.tsx';
import { operatorRoutes } from './pages/operator/nav.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    // A 4xx will not change by asking again; a network hiccup might.
    queries: { retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});

function Root() {
  return (
    <>
      <SessionWatcher />
      <FocusOnNavigation />
      <Outlet />
    </>
  );
}

const router = createBrowserRouter(
  [
    {
      element: <Root />,
      children: [
        {
          element: <AuthShell />,
          children: [
            { path: 'signin', element: <SignIn /> },
            { path: 'signup', element: <SignUp /> },
            { path: 'forgot-password', element: <ForgotPassword /> },
            { path: 'reset-password', element: <ResetPassword /> },
          ],
        },
        {
          element: (
            <RequireAuth>
              <SignedInShell />
            </RequireAuth>
          ),
          children: [
            { index: true, element: <Home /> },
            { path: 'apps', element: <AppsList /> },
            { path: 'apps/new', element: <RegisterApp /> },
            { path: 'apps/:id', element: <AppDetail /> },
            { path: 'apps/:id/webhooks', element: <WebhooksPage /> },
            { path: 'apps/:id/webhooks/deliveries', element: <DeliveriesPage /> },
            { path: 'apps/:id/webhooks/deliveries/:deliveryId', element: <DeliveryPage /> },
            { path: 'payments', element: <PaymentsPage /> },
            { path: 'payments/:id', element: <PaymentDetail /> },
            { path: 'payouts', element: <PayoutsPage /> },
            { path: 'payouts/new', element: <NewPayoutBatch /> },
            { path: 'payouts/:id', element: <PayoutBatchDetail /> },
            { path: 'wallet', element: <WalletPage /> },
            { path: 'wallet/movements', element: <MovementsPage /> },
            { path: 'wallet/send', element: <SendMoney /> },
            { path: 'wallet/pin', element: <PinPage /> },
            ...operatorRoutes,
            { path: '*', element: <NotFound /> },
          ],
        },
      ],
    },
  ],
  { basename: '/console' },
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
