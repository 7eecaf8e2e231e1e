// "Códigos de afiliación": a business registers with a regular code. The operator issues a pair
// (regular and commercial) and sees which were used, and by whom.
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { CopyButton } from '../../ui/copy.tsx';
import { Alert, Badge, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { useAffiliationCodes, useIssueCodes } from './queries.ts';

export function CodesPage() {
  const { t } = useTranslation();
  const codes = useAffiliationCodes();
  const issue = useIssueCodes();
  const issued = issue.data;
  let body;
  if (!codes.isSuccess) body = <QueryStates query={codes} />;
  else if (codes.data.length === 0) body = <EmptyState title={t('operator.codes.emptyTitle')}>{t('operator.codes.emptyText')}</EmptyState>;
  else
    body = (
      <Section title={t('operator.codes.issued')} id="codes">
        <ul className="list">
          {codes.data.map((c) => (
            <li className="list-item" key={c.code} data-testid="affiliation-code">
              <div className="grow">
                <span className="mono">{c.code}</span> <Badge tone="neutral">{t(`operator.codes.types.${c.type}`)}</Badge>
                <div className="small muted">{t('operator.codes.createdAt', { date: formatDate(c.createdAt) })}</div>
              </div>
              {c.usedAt ? (
                <span className="small">{t('operator.codes.usedBy', { username: c.usedBy ?? '—', date: formatDate(c.usedAt) })}</span>
              ) : (
                <Badge tone="success">{t('operator.codes.available')}</Badge>
              )}
            </li>
          ))}
        </ul>
      </Section>
    );
  return (
    <>
      <PageHeader
        title={t('operator.codes.title')}
        intro={t('operator.codes.intro')}
        actions={
          <Button busy={issue.isPending} busyLabel={t('operator.codes.issuing')} onClick={() => issue.mutate()}>
            {t('operator.codes.issue')}
          </Button>
        }
      />
      {issue.error ? <Alert tone="error">{describeError(issue.error, t)}</Alert> : null}
      {issued ? (
        <Alert tone="success" title={t('operator.codes.issuedTitle')}>
          <dl className="details">
            <dt>{t('operator.codes.types.regular')}</dt>
            <dd>
              <span className="mono">{issued.regular}</span> <CopyButton value={issued.regular} what={t('operator.codes.types.regular')} />
            </dd>
            <dt>{t('operator.codes.types.commercial')}</dt>
            <dd>
              <span className="mono">{issued.commercial}</span> <CopyButton value={issued.commercial} what={t('operator.codes.types.commercial')} />
            </dd>
          </dl>
        </Alert>
      ) : null}
      {body}
    </>
  );
}
