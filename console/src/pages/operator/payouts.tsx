// "Lotes de pago" (operator): every merchant's payout batches. A submitted batch's bank file is
// downloaded for the bank, and the bank's answer imported back (see bank-answer.tsx).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { Button, classes } from '../../ui/button.tsx';
import { Badge, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { SelectField } from '../../ui/fields.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { BankAnswerForm, BankAnswerSummary } from './bank-answer.tsx';
import { bankFileUrl, useOperatorBatches } from './queries.ts';
import type { BankAnswerReport, OperatorBatch } from './types.ts';

const STATES = ['submitted', 'settled', 'pending_upload'] as const;
const TONE = { pending_upload: 'neutral', submitted: 'info', settled: 'success' } as const;

function BatchItem({ batch, onImported }: { batch: OperatorBatch; onImported: (report: BankAnswerReport) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const shortId = batch.id.slice(-8);
  const sent = batch.state !== 'pending_upload';
  const counts = ['PROCESSING', 'PAID', 'FAILED']
    .filter((s) => (batch.counts[s] ?? 0) > 0)
    .map((s) => t(`operator.payouts.counts.${s}`, { count: batch.counts[s] }))
    .join(' · ');
  return (
    <li className="list-item" data-testid="operator-batch">
      <div className="grow">
        <strong>{t('operator.payouts.batch', { id: shortId })}</strong> <Badge tone={TONE[batch.state]}>{t(`operator.payouts.states.${batch.state}`)}</Badge>
        <div className="small muted">
          {[
            batch.ownerUsername ? `@${batch.ownerUsername}` : null,
            t('operator.payouts.items', { count: batch.itemCount }),
            formatDate(batch.submittedAt ?? batch.createdAt),
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
        {counts ? <div className="small">{counts}</div> : null}
      </div>
      <div className="amount">{formatMoney(batch.total, batch.currency)}</div>
      {sent ? (
        <div className="row batch-actions">
          <a className={classes('secondary', true)} href={bankFileUrl(batch.id)} download aria-label={t('operator.payouts.downloadLabel', { id: shortId })}>
            {t('operator.payouts.download')}
          </a>
          {batch.state === 'submitted' ? (
            <Button
              small
              variant="secondary"
              aria-expanded={open}
              onClick={() => setOpen((o) => !o)}
              aria-label={t('operator.payouts.answerLabel', { id: shortId })}
            >
              {t('operator.payouts.answer')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {open && batch.state === 'submitted' ? (
        <div className="batch-answer">
          <BankAnswerForm
            batchId={batch.id}
            onImported={(report) => {
              setOpen(false);
              onImported(report);
            }}
          />
        </div>
      ) : null}
    </li>
  );
}

export function OperatorPayoutsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'submitted';
  const batches = useOperatorBatches(state === 'all' ? '' : state);
  const [report, setReport] = useState<BankAnswerReport>();
  let body;
  if (!batches.isSuccess) body = <QueryStates query={batches} />;
  else if (batches.data.length === 0) body = <EmptyState title={t('operator.payouts.emptyTitle')}>{t('operator.payouts.emptyText')}</EmptyState>;
  else
    body = (
      <ul className="list">
        {batches.data.map((b) => (
          <BatchItem key={b.id} batch={b} onImported={setReport} />
        ))}
      </ul>
    );
  return (
    <>
      <PageHeader title={t('operator.payouts.title')} intro={t('operator.payouts.intro')} />
      {report ? <BankAnswerSummary report={report} /> : null}
      <Section
        title={t('operator.payouts.batches')}
        id="batches"
        actions={
          <SelectField label={t('operator.payouts.state')} value={state} onChange={(e) => setParams({ state: e.target.value })}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`operator.payouts.states.${s}`)}
              </option>
            ))}
            <option value="all">{t('operator.payouts.allStates')}</option>
          </SelectField>
        }
      >
        {body}
      </Section>
    </>
  );
}
