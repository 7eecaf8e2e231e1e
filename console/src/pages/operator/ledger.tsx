// "Libro mayor": the verifier (what `pasarela verify-ledger` checks) run on demand — balances
// against their postings, held amounts against pending holds, no negative wallet, every entry
// balanced — and the result of its last run.
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { Alert, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { useLastVerification, useVerifyLedger } from './queries.ts';
import type { LedgerVerification } from './types.ts';

function Result({ result }: { result: LedgerVerification }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="small muted">{t('operator.ledger.checkedAt', { date: formatDate(result.checkedAt), ms: result.durationMs })}</p>
      {result.ok ? (
        <Alert tone="success" title={t('operator.ledger.okTitle')}>
          {t('operator.ledger.okText')}
        </Alert>
      ) : (
        <>
          <Alert tone="warning" title={t('operator.ledger.problemsTitle', { count: result.total })}>
            {t('operator.ledger.problemsText')}
          </Alert>
          <ul className="list">
            {result.problems.map((p, i) => (
              <li className="list-item" key={`${p.kind}:${p.id}:${i}`} data-testid="ledger-problem">
                <div className="grow">
                  <strong>{t(`operator.ledger.kinds.${p.kind}`, { defaultValue: p.kind })}</strong>
                  <div className="small mono">{p.id}</div>
                  <div className="small muted">{p.detail}</div>
                </div>
              </li>
            ))}
          </ul>
          {result.total > result.problems.length ? (
            <p className="small muted">{t('operator.ledger.more', { count: result.total - result.problems.length })}</p>
          ) : null}
        </>
      )}
    </>
  );
}

export function LedgerPage() {
  const { t } = useTranslation();
  const last = useLastVerification();
  const verify = useVerifyLedger();
  let body;
  if (!last.isSuccess) body = <QueryStates query={last} />;
  else if (!last.data) body = <p className="muted">{t('operator.ledger.never')}</p>;
  else body = <Result result={last.data} />;
  return (
    <>
      <PageHeader title={t('operator.ledger.title')} intro={t('operator.ledger.intro')} />
      <Section
        title={t('operator.ledger.status')}
        id="verification"
        actions={
          <Button busy={verify.isPending} busyLabel={t('operator.ledger.verifying')} onClick={() => verify.mutate()}>
            {t('operator.ledger.verify')}
          </Button>
        }
      >
        {verify.error ? <Alert tone="error">{describeError(verify.error, t)}</Alert> : null}
        <div aria-live="polite">{body}</div>
      </Section>
    </>
  );
}
