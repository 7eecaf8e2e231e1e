// The upload form: the application the payments are registered under, the CSV file (checked in
// the browser for presence and size, then read and sent with real progress), the template.
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { UPLOAD_TEMPLATE } from '../../../../src/modules/payouts/model.ts';
import type { App } from '../../lib/types.ts';
import { describeError } from '../../lib/messages.ts';
import { useMe } from '../../lib/session.tsx';
import { Button } from '../../ui/button.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { SelectField, TextField } from '../../ui/fields.tsx';
import { Section } from '../../ui/layout.tsx';
import type { UploadAnswer } from './types.ts';
import { fileText, MAX_FILE_BYTES, uploadKey, uploadPayoutCsv } from './upload.ts';

// With a byte order mark, spreadsheets open the template's accents as UTF-8.
const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${UPLOAD_TEMPLATE}`)}`;

type Phase = { kind: 'idle' } | { kind: 'uploading'; fraction: number } | { kind: 'processing' } | { kind: 'done' };

function Progress({ phase }: { phase: Phase }) {
  const { t } = useTranslation();
  const id = useId();
  if (phase.kind === 'idle') return null;
  const percent = phase.kind === 'uploading' ? Math.round(phase.fraction * 100) : 100;
  const text =
    phase.kind === 'uploading' ? t('payouts.progressValue', { percent }) : phase.kind === 'processing' ? t('payouts.processing') : t('payouts.uploaded');
  return (
    <div className="upload-progress">
      <label htmlFor={id} className="small">
        {t('payouts.progress')}
      </label>
      <progress id={id} max={100} value={percent} aria-valuetext={text} />
      <p className="small muted" role="status">
        {text}
      </p>
    </div>
  );
}

export function UploadForm({ apps, onUploaded }: { apps: App[]; onUploaded: (answer: UploadAnswer) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [appId, setAppId] = useState(apps[0]?.id ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [failure, setFailure] = useState<unknown>(null);
  const key = useRef(uploadKey());
  const form = useRef<HTMLFormElement>(null);
  const busy = phase.kind === 'uploading' || phase.kind === 'processing';

  const choose = (next: File | null) => {
    setFile(next);
    setFileError(next && next.size > MAX_FILE_BYTES ? t('payouts.fileTooLarge') : '');
    key.current = uploadKey(); // another file is another upload
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setFileError(t('payouts.fileRequired'));
    if (file.size > MAX_FILE_BYTES) return setFileError(t('payouts.fileTooLarge'));
    setFailure(null);
    setPhase({ kind: 'uploading', fraction: 0 });
    try {
      const answer = await uploadPayoutCsv({
        text: await fileText(file),
        appId,
        key: key.current,
        csrfToken: me.data?.csrfToken ?? '',
        onProgress: (fraction) => setPhase(fraction >= 1 ? { kind: 'processing' } : { kind: 'uploading', fraction }),
      });
      setPhase({ kind: 'done' });
      form.current?.reset();
      choose(null);
      onUploaded(answer);
    } catch (error) {
      setPhase({ kind: 'idle' });
      setFailure(error);
    }
  };

  return (
    <Section title={t('payouts.uploadSection')} id="upload">
      <form ref={form} className="form" onSubmit={(e) => void submit(e)} noValidate>
        {failure ? <Alert tone="error">{describeError(failure, t)}</Alert> : null}
        <SelectField label={t('payouts.app')} hint={t('payouts.appHint')} value={appId} onChange={(e) => setAppId(e.target.value)} disabled={busy}>
          {apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('payouts.file')}
          hint={t('payouts.fileHint')}
          type="file"
          accept=".csv,text/csv"
          error={fileError}
          disabled={busy}
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
        <Progress phase={phase} />
        <div className="row">
          <Button type="submit" busy={busy} busyLabel={t('payouts.uploading')}>
            {t('payouts.upload')}
          </Button>
        </div>
      </form>
      <div className="template-note">
        <h3>{t('payouts.templateTitle')}</h3>
        <p className="small">{t('payouts.templateText')}</p>
        <a href={TEMPLATE_HREF} download="plantilla-pagos-masivos.csv">
          {t('payouts.template')}
        </a>
      </div>
    </Section>
  );
}
