// Loading, empty and error states, alerts and badges: every page shows one of these while it
// has nothing else to show.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api.ts';
import { describeError } from '../lib/messages.ts';
import { Button } from './button.tsx';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </div>
  );
}

type Tone = 'error' | 'info' | 'success' | 'warning';

export function Alert({ tone, title, children }: { tone: Tone; title?: string; children: ReactNode }) {
  // Errors interrupt (role=alert); the rest are announced politely.
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title ? (
        <p>
          <strong>{title}</strong>
        </p>
      ) : null}
      {typeof children === 'string' ? <p>{children}</p> : children}
    </div>
  );
}

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert tone="error" title={t('common.errorTitle')}>
      <p>{describeError(error, t)}</p>
      {onRetry ? (
        <Button variant="secondary" small onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </Alert>
  );
}

/** What QueryStates reads of a TanStack query. */
interface QueryLike {
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A page's query before it has data (render it only then, while `!query.isSuccess`): the page's
 * `header`, so the title stays in place, over the spinner, or over the error with a retry
 * (`notFound` instead where the server answers 404).
 */
export function QueryStates({ query, header, notFound }: { query: QueryLike; header?: ReactNode; notFound?: ReactNode }) {
  let state: ReactNode;
  if (query.isPending) state = <Loading />;
  else if (notFound !== undefined && query.error instanceof ApiError && query.error.status === 404) state = notFound;
  else state = <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      {header}
      {state}
    </>
  );
}

export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="card empty">
      <h2>{title}</h2>
      <p>{children}</p>
      {action}
    </div>
  );
}

export function Badge({ tone, children }: { tone: 'success' | 'neutral' | 'warning' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
