// "Nuevo lote": upload a CSV of payments into the batch pending upload (the good rows join it,
// each bad row is listed), then review the pending batch's totals by currency and submit it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ButtonLink } from '../../ui/button.tsx';
import { EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { useApps } from '../apps/queries.ts';
import { usePayoutBatches, useUploaded } from './queries.ts';
import { SubmitBatch, TotalsTable } from './totals.tsx';
import type { UploadAnswer } from './types.ts';
import { UploadForm } from './upload-form.tsx';
import { UploadResult } from './upload-result.tsx';
import './payouts.css';

function Review() {
  const { t } = useTranslation();
  const batches = usePayoutBatches();
  let body;
  if (!batches.isSuccess) body = <QueryStates query={batches} />;
  else {
    const pending = batches.data.filter((b) => b.state === 'pending_upload');
    body = pending.length ? (
      <>
        <p className="small muted">{t('payouts.reviewIntro')}</p>
        <TotalsTable batches={pending} />
        {pending.map((b) => (
          <div key={b.id} className="stack">
            <Link to={`/payouts/${b.id}`}>{t('payouts.viewBatch')}</Link>
            <SubmitBatch batch={b} several={pending.length > 1} />
          </div>
        ))}
      </>
    ) : (
      <p className="muted">{t('payouts.noPending')}</p>
    );
  }
  return (
    <Section title={t('payouts.reviewTitle')} id="review">
      {body}
    </Section>
  );
}

export function NewPayoutBatch() {
  const { t } = useTranslation();
  const apps = useApps();
  const uploaded = useUploaded();
  const [answer, setAnswer] = useState<UploadAnswer | null>(null);
  const header = <PageHeader title={t('payouts.uploadTitle')} intro={t('payouts.uploadIntro')} crumbs={<Link to="/payouts">{t('payouts.backToList')}</Link>} />;
  if (!apps.isSuccess) return <QueryStates query={apps} header={header} />;
  const eligible = apps.data.filter((a) => a.permissions.payouts && a.ready);
  return (
    <>
      {header}
      {eligible.length === 0 ? (
        <EmptyState title={t('payouts.noAppTitle')} action={<ButtonLink to="/apps">{t('payouts.goToApps')}</ButtonLink>}>
          {t('payouts.noAppText')}
        </EmptyState>
      ) : (
        <UploadForm
          apps={eligible}
          onUploaded={(next) => {
            setAnswer(next);
            uploaded();
          }}
        />
      )}
      {answer ? <UploadResult answer={answer} /> : null}
      <Review />
    </>
  );
}
