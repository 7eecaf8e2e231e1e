// Who is signed in (the `me` query), the deployment's config, and what happens when a session
// ends under the user: back to sign-in, saying so, and then back to the same page.
import { useEffect, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, setCsrfToken, setUnauthorizedHandler } from './api.ts';
import type { ConsoleConfig, Me } from './types.ts';
import { QueryStates } from '../ui/feedback.tsx';

export function useConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: () => api<ConsoleConfig>('GET', '/console/api/config', undefined, { anonymous: true }),
    staleTime: Infinity,
  });
}

async function fetchMe(): Promise<Me | null> {
  const answer = await api<({ signedIn: true } & Me) | { signedIn: false }>('GET', '/console/api/session', undefined, { anonymous: true });
  if (!answer.signedIn) return null;
  setCsrfToken(answer.csrfToken);
  remember(true);
  return answer;
}

// Whether this tab had a session: a page opened after it ended can say it expired, rather
// than just asking to sign in.
const HAD_SESSION = 'pasarela.hadSession';

function remember(signedIn: boolean): void {
  try {
    if (signedIn) sessionStorage.setItem(HAD_SESSION, '1');
    else sessionStorage.removeItem(HAD_SESSION);
  } catch {
    // storage unavailable: the notice is a nicety
  }
}

function hadSession(): boolean {
  try {
    return sessionStorage.getItem(HAD_SESSION) === '1';
  } catch {
    return false;
  }
}

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: fetchMe, staleTime: 30_000 });
}

/** The current path under /console, for `?next=` (only ever a path of this app). */
function here(location: { pathname: string; search: string }): string {
  return location.pathname + location.search;
}

export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Watches for ended sessions: any signed-in request answering 401 sends the user to sign in. */
export function SessionWatcher() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!client.getQueryData(['me'])) return;
      remember(false);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'config' });
      // The sign-in page empties `me` (see SignIn): emptied here, the signed-in pages could see
      // it before this navigation lands and redirect on their own.
      navigate(`/signin?expired=1&next=${encodeURIComponent(here(location))}`, { replace: true });
    });
    return () => setUnauthorizedHandler(undefined);
  }, [client, navigate, location]);
  return null;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (!me.isSuccess) return <QueryStates query={me} />;
  if (!me.data) {
    const expired = hadSession();
    return <Navigate to={`/signin?${expired ? 'expired=1&' : ''}next=${encodeURIComponent(here(location))}`} replace />;
  }
  return <>{children}</>;
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { login: string; password: string }) => {
      // Cookie only: the session token itself never reaches this page's JavaScript.
      const answer = await api<{ csrfToken: string }>('POST', '/console/api/session', body, { anonymous: true, headers: { 'x-session-transport': 'cookie' } });
      setCsrfToken(answer.csrfToken);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'config' });
      await client.fetchQuery({ queryKey: ['me'], queryFn: fetchMe });
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api<void>('DELETE', '/console/api/session', undefined, { anonymous: true }),
    onSettled: () => {
      setCsrfToken('');
      remember(false);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'config' });
      navigate('/signin?signedout=1', { replace: true });
    },
  });
}
