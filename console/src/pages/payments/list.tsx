// "Pagos": the merchant's payment intents and payments — balance and daily volume on top, then
// the list, filtered (state, app, dates) and searched (id, reference), a page at a time. The
// filters live in the address (a link or the back button keeps them); the list asks again
// every few seconds, so a payment made elsewhere shows up without reloading.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatDate, formatMoney } from '../../lib/format.ts';
import type { MerchantIntent } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { SelectField, TextField } from '../../ui/fields.tsx';
import { PageHeader } from '../../ui/layout.tsx';
import { useApps } from '../apps/queries.ts';
import { useMerchantIntents, type IntentFilters } from './queries.ts';
import { IntentStateBadge } from './state.tsx';
import { MerchantSummarySection } from './summary.tsx';

const STATES = ['created', 'executed', 'annulled', 'rejected', 'expired'] as const;
const FIELDS = ['q', 'state', 'app', 'from', 'to'] as const;

function readFilters(params: URLSearchParams): IntentFilters {
  const page = Number(params.get('page'));
  return {
    q: params.get('q') ?? '',
    state: params.get('state') ?? '',
    app: params.get('app') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

function Filters({ filters, onApply }: { filters: IntentFilters; onApply: (next: Partial<IntentFilters>) => void }) {
  const { t } = useTranslation();
  const apps = useApps();
  // Remounted when the address changes (see its key), so the draft starts from the filters.
  const [draft, setDraft] = useState(filters);
  const set = (key: (typeof FIELDS)[number]) => (event: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ ...draft, page: 1 });
  };
  return (
    <form className="card filters" onSubmit={submit} role="search" aria-label={t('payments.filters')}>
      <div className="filters-grid">
        <TextField label={t('payments.search')} type="search" value={draft.q} onChange={set('q')} maxLength={100} />
        <SelectField label={t('payments.state')} value={draft.state} onChange={set('state')}>
          <option value="">{t('payments.anyState')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(`payments.states.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('payments.app')} value={draft.app} onChange={set('app')}>
          <option value="">{t('payments.anyApp')}</option>
          {(apps.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
        <div className="filters-dates">
          <TextField label={t('payments.from')} type="date" value={draft.from} onChange={set('from')} max={draft.to || undefined} />
          <TextField label={t('payments.to')} type="date" value={draft.to} onChange={set('to')} min={draft.from || undefined} />
        </div>
      </div>
      <div className="row filters-actions">
        <Button type="submit">{t('payments.apply')}</Button>
        <Button variant="secondary" onClick={() => onApply({ q: '', state: '', app: '', from: '', to: '', page: 1 })}>
          {t('payments.clear')}
        </Button>
      </div>
    </form>
  );
}

function IntentItem({ intent, appName }: { intent: MerchantIntent; appName: string }) {
  const { t } = useTranslation();
  const amount = formatMoney(intent.amount, intent.currency);
  const date = formatDate(intent.createdAt);
  const party = intent.payer ?? intent.recipient;
  const title = intent.description || t(`payments.kinds.${intent.kind}`);
  return (
    <li className="list-item intent-item" data-testid="merchant-intent" data-id={intent.id}>
      <div className="grow">
        {/* The name starts with the visible text (WCAG label in name); amount and date tell rows apart. */}
        <Link to={`/payments/${intent.id}`} aria-label={t('payments.openLabel', { title, amount, date })}>
          <strong>{title}</strong>
        </Link>
        <div className="small muted">{[date, party, appName].filter(Boolean).join(' · ')}</div>
        <div className="small muted">
          {t(`payments.kinds.${intent.kind}`)}
          {intent.paymentRef ? (
            <>
              {' · '}
              <span className="mono">{intent.paymentRef}</span>
            </>
          ) : null}
        </div>
      </div>
      <div className="intent-side">
        <div className="amount">{amount}</div>
        <IntentStateBadge state={intent.state} />
      </div>
    </li>
  );
}

/** Says it politely when a listed intent changes state while the page is open (a payment arrived). */
function useChanges(rows: MerchantIntent[] | undefined): string {
  const { t } = useTranslation();
  const known = useRef(new Map<string, string>());
  const [note, setNote] = useState('');
  useEffect(() => {
    if (!rows) return;
    const changed = rows.find((r) => known.current.has(r.id) && known.current.get(r.id) !== r.state);
    for (const r of rows) known.current.set(r.id, r.state);
    if (changed) setNote(t('payments.changed', { id: changed.paymentRef ?? changed.id, state: t(`payments.states.${changed.state}`) }));
  }, [rows, t]);
  return note;
}

export function PaymentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const intents = useMerchantIntents(filters);
  const apps = useApps();
  const appNames = new Map((apps.data ?? []).map((a) => [a.id, a.name]));
  const note = useChanges(intents.data?.data);
  const filtered = FIELDS.some((f) => filters[f]);

  const apply = (next: Partial<IntentFilters>) => {
    const merged = { ...filters, ...next };
    const out = new URLSearchParams();
    for (const f of FIELDS) if (merged[f]) out.set(f, merged[f]);
    if (merged.page > 1) out.set('page', String(merged.page));
    setParams(out);
  };

  let body;
  if (!intents.isSuccess) body = <QueryStates query={intents} />;
  else if (intents.data.meta.total === 0 && !filtered) body = <EmptyState title={t('payments.emptyTitle')}>{t('payments.emptyText')}</EmptyState>;
  else {
    const { meta, data } = intents.data;
    body = (
      <section className="card" aria-labelledby="intents-title">
        <div className="card-header">
          <h2 id="intents-title">{t('payments.results', { count: meta.total })}</h2>
          <span className="small muted">{t('payments.live')}</span>
        </div>
        {data.length === 0 ? (
          <p className="muted">{t('payments.noMatches')}</p>
        ) : (
          <ul className="list" data-testid="merchant-intents">
            {data.map((intent) => (
              <IntentItem key={intent.id} intent={intent} appName={appNames.get(intent.appId) ?? ''} />
            ))}
          </ul>
        )}
        {meta.totalPages > 1 ? (
          <nav className="pager" aria-label={t('payments.pagination')}>
            <Button variant="secondary" small disabled={meta.page <= 1} onClick={() => apply({ page: meta.page - 1 })}>
              {t('payments.previous')}
            </Button>
            <span className="small muted">{t('payments.page', { page: meta.page, pages: meta.totalPages })}</span>
            <Button variant="secondary" small disabled={meta.page >= meta.totalPages} onClick={() => apply({ page: meta.page + 1 })}>
              {t('payments.next')}
            </Button>
          </nav>
        ) : null}
      </section>
    );
  }

  return (
    <>
      <PageHeader title={t('payments.title')} intro={t('payments.intro')} />
      <MerchantSummarySection />
      <Filters key={params.toString()} filters={filters} onApply={apply} />
      <span className="visually-hidden" role="status">
        {note}
      </span>
      {body}
    </>
  );
}
