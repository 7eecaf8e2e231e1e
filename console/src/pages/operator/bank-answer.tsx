// Import the bank's answer to a batch: a CSV file (or its lines pasted), `ref,status[,reason]`
// with status PAID or FAILED. Importing the same answer twice changes nothing; the summary
// says what each line did.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { coded, describeError } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { TextArea } from '../../ui/fields.tsx';
import { useImportBankAnswer } from './queries.ts';
import type { BankAnswerReport } from './types.ts';

const MAX_BYTES = 5 * 1024 * 1024;

/** What an import did; shown above the list, since a batch fully answered leaves the "submitted" list. */
export function BankAnswerSummary({ report }: { report: BankAnswerReport }) {
  const { t } = useTranslation();
  const problems = [
    ...report.unknown.map((u) => ({ line: u.line, text: t('operator.payouts.unknownRef', { ref: u.ref }) })),
    ...report.rejected.map((r) => {
      const said = coded(r.code, r.message);
      return { line: r.line, text: r.ref ? `${r.ref}: ${said}` : said };
    }),
  ].sort((a, b) => a.line - b.line);
  return (
    <Alert
      tone={problems.length ? 'warning' : 'success'}
      title={t('operator.payouts.summaryTitle', {
        id: report.batchId.slice(-8),
        count: report.lines,
        state: t(`operator.payouts.states.${report.batch.state}`),
      })}
    >
      <ul className="summary-counts">
        <li>{t('operator.payouts.paidCount', { count: report.paid.length })}</li>
        <li>{t('operator.payouts.failedCount', { count: report.failed.length })}</li>
        <li>{t('operator.payouts.unchangedCount', { count: report.unchanged.length })}</li>
        <li>{t('operator.payouts.problemCount', { count: problems.length })}</li>
      </ul>
      {problems.length ? (
        <ul className="small" data-testid="bank-answer-problems">
          {problems.map((p, i) => (
            <li key={i}>{t('operator.payouts.problemLine', { line: p.line, text: p.text })}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

export function BankAnswerForm({ batchId, onImported }: { batchId: string; onImported: (report: BankAnswerReport) => void }) {
  const { t } = useTranslation();
  const send = useImportBankAnswer(batchId);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const pick = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_BYTES) return setProblem(t('operator.payouts.fileTooBig'));
    setProblem(undefined);
    setText(await file.text());
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return setProblem(t('operator.payouts.answerMissing'));
    setProblem(undefined);
    send.mutate(text, { onSuccess: onImported });
  };
  const fileId = `bank-answer-file-${batchId}`;
  return (
    <form className="form bank-answer" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={fileId}>{t('operator.payouts.answerFile')}</label>
        <input id={fileId} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e.target.files?.[0])} />
      </div>
      <TextArea
        label={t('operator.payouts.answerText')}
        hint={t('operator.payouts.answerHint')}
        rows={4}
        className="mono"
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={problem}
      />
      {send.error ? <Alert tone="error">{describeError(send.error, t)}</Alert> : null}
      <Button type="submit" busy={send.isPending} busyLabel={t('operator.payouts.importing')}>
        {t('operator.payouts.import')}
      </Button>
    </form>
  );
}
