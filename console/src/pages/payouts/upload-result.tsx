// What an upload did: how many rows joined the batch, and a table of each problem of the rows
// left out (line of the file, column, message), for the merchant to fix just those.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { coded } from '../../lib/messages.ts';
import { Alert } from '../../ui/feedback.tsx';
import type { UploadAnswer } from './types.ts';

export function UploadResult({ answer }: { answer: UploadAnswer }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  // The result replaces the form's progress: focus moves to it so it is read next.
  useEffect(() => heading.current?.focus(), [answer]);
  return (
    <section className="card upload-result" aria-labelledby="upload-result-title" data-testid="upload-result">
      <h2 id="upload-result-title" ref={heading} tabIndex={-1}>
        {t('payouts.resultTitle')}
      </h2>
      <Alert tone={answer.accepted > 0 ? 'success' : 'warning'}>{t('payouts.result', { accepted: answer.accepted, count: answer.rows })}</Alert>
      {answer.errors.length ? (
        <>
          <Alert tone="warning">{t('payouts.rejected', { count: answer.rejected })}</Alert>
          <table className="table rows-table" data-testid="upload-errors">
            <caption>{t('payouts.errorsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payouts.line')}</th>
                <th scope="col">{t('payouts.column')}</th>
                <th scope="col">{t('payouts.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {answer.errors.map((e, i) => (
                <tr key={`${e.line}-${e.field}-${i}`} data-testid="upload-error" data-line={e.line}>
                  <th scope="row" data-label={t('payouts.line')}>
                    {e.line}
                  </th>
                  <td data-label={t('payouts.column')}>{t(`payouts.fields.${e.field}`)}</td>
                  <td data-label={t('payouts.problem')}>{coded(e.code, e.message)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
