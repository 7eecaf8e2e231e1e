// "Registro de entregas": the application's webhook deliveries, newest first, filtered by status,
// endpoint and event type (the filters live in the address). The list asks again every few
// seconds, so a delivery the worker makes meanwhile shows up without reloading.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatDate } from '../../lib/format.ts';
import type { App, DeliveryStatus, WebhookDelivery } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { SelectField } from '../../ui/fields.tsx';
import { PageHeader } from '../../ui/layout.tsx';
import { EVENT_TYPES } from './events.ts';
import { Crumbs, WithApp } from './frame.tsx';
import { useDeliveries, useEndpoints, type DeliveryFilters } from './queries.ts';
import { DeliveryStatusBadge } from './status.tsx';

const STATUSES = ['pending', 'succeeded', 'failed'] as const satisfies readonly DeliveryStatus[];
const FIELDS = ['status', 'endpoint', 'eventType'] as const;

function readFilters(params: URLSearchParams): DeliveryFilters {
  const status = params.get('status') ?? '';
  return {
    status: (STATUSES as readonly string[]).includes(status) ? (status as DeliveryStatus) : '',
    endpoint: params.get('endpoint') ?? '',
    eventType: params.get('eventType') ?? '',
  };
}

function Filters({ app, filters, onApply }: { app: App; filters: DeliveryFilters; onApply: (next: DeliveryFilters) => void }) {
  const { t } = useTranslation();
  const endpoints = useEndpoints(app.id);
  // Remounted when the address changes (see its key), so the draft starts from the filters.
  const [draft, setDraft] = useState(filters);
  const set = (key: (typeof FIELDS)[number]) => (event: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="card filters" onSubmit={submit} role="search" aria-label={t('webhooks.filters')}>
      <div className="filters-grid delivery-filters">
        <SelectField label={t('webhooks.status')} value={draft.status} onChange={set('status')}>
          <option value="">{t('webhooks.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`webhooks.statuses.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('webhooks.endpoint')} value={draft.endpoint} onChange={set('endpoint')}>
          <option value="">{t('webhooks.anyEndpoint')}</option>
          {(endpoints.data ?? []).map((e) => (
            <option key={e.id} value={e.id}>
              {e.url}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('webhooks.eventType')} value={draft.eventType} onChange={set('eventType')}>
          <option value="">{t('webhooks.anyEventType')}</option>
          {EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="row filters-actions">
        <Button type="submit">{t('webhooks.apply')}</Button>
        <Button variant="secondary" onClick={() => onApply({ status: '', endpoint: '', eventType: '' })}>
          {t('webhooks.clear')}
        </Button>
      </div>
    </form>
  );
}

function DeliveryItem({ app, delivery: d }: { app: App; delivery: WebhookDelivery }) {
  const { t } = useTranslation();
  const type = d.eventType ?? d.eventId;
  const answer = d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? t('webhooks.noAnswer'));
  return (
    <li className="list-item" data-testid="webhook-delivery" data-id={d.id}>
      <div className="grow">
        <Link to={`/apps/${app.id}/webhooks/deliveries/${d.id}`} aria-label={t('webhooks.openDelivery', { type, date: formatDate(d.createdAt) })}>
          <strong className="mono">{type}</strong>
        </Link>
        <div className="small muted mono">{d.url}</div>
        <div className="small muted">
          {[
            formatDate(d.createdAt),
            t('webhooks.attemptsCount', { count: d.attempts }),
            d.attempts > 0 ? t('webhooks.lastAnswer', { answer }) : '',
            d.nextAttemptAt ? t('webhooks.nextAttempt', { date: formatDate(d.nextAttemptAt) }) : '',
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
      </div>
      <DeliveryStatusBadge status={d.status} />
    </li>
  );
}

function Log({ app }: { app: App }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const deliveries = useDeliveries(app.id, filters);
  const shown = deliveries.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = FIELDS.some((f) => filters[f]);
  const apply = (next: DeliveryFilters) => {
    const out = new URLSearchParams();
    for (const f of FIELDS) if (next[f]) out.set(f, next[f]);
    setParams(out);
  };

  let body;
  if (!deliveries.isSuccess) body = <QueryStates query={deliveries} />;
  else if (shown.length === 0 && !filtered) body = <EmptyState title={t('webhooks.logEmptyTitle')}>{t('webhooks.logEmptyText')}</EmptyState>;
  else
    body = (
      <section className="card" aria-labelledby="deliveries-title">
        <div className="card-header">
          <h2 id="deliveries-title">{t(deliveries.hasNextPage ? 'webhooks.resultsMore' : 'webhooks.results', { count: shown.length })}</h2>
        </div>
        {shown.length === 0 ? (
          <p className="muted">{t('webhooks.noMatches')}</p>
        ) : (
          <ul className="list" data-testid="webhook-deliveries">
            {shown.map((d) => (
              <DeliveryItem key={d.id} app={app} delivery={d} />
            ))}
          </ul>
        )}
        {deliveries.hasNextPage ? (
          <div className="list-more">
            <Button variant="secondary" busy={deliveries.isFetchingNextPage} busyLabel={t('common.loading')} onClick={() => void deliveries.fetchNextPage()}>
              {t('webhooks.more')}
            </Button>
          </div>
        ) : null}
      </section>
    );
  return (
    <>
      <Filters key={params.toString()} app={app} filters={filters} onApply={apply} />
      {body}
    </>
  );
}

export function DeliveriesPage() {
  const { t } = useTranslation();
  return (
    <WithApp>
      {(app) => (
        <>
          <PageHeader title={t('webhooks.log')} intro={t('webhooks.logIntro')} crumbs={<Crumbs app={app} webhooks />} />
          <Log app={app} />
        </>
      )}
    </WithApp>
  );
}
