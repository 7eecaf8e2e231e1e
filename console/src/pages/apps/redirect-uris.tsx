// "URL de redirección": where the marketplace's consent page may send a seller back with an
// authorization code. Checked here with the server's own rule before saving.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { readRedirectUris } from '../../../../src/modules/apps/rules.ts';
import { currentLang } from '../../i18n.ts';
import { describeError } from '../../lib/messages.ts';
import type { App } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { TextArea } from '../../ui/fields.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { Section } from '../../ui/layout.tsx';
import { useSetRedirectUris } from './queries.ts';

export function RedirectUrisSection({ app, sandbox }: { app: App; sandbox: boolean }) {
  const { t } = useTranslation();
  const save = useSetRedirectUris(app.id);
  const [text, setText] = useState(app.redirectUris.join('\n'));
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { value, errors } = readRedirectUris(text, sandbox, currentLang());
    setProblem(errors[0]?.message);
    if (!errors.length) save.mutate(value);
  };
  const serverProblem = save.error ? describeError(save.error, t) : undefined;
  return (
    <Section title={t('apps.redirectUris')} id="redirect-uris">
      <p className="muted small">{t('apps.redirectUrisText')}</p>
      <form onSubmit={submit} noValidate>
        <TextArea
          label={t('apps.redirectUrisLabel')}
          hint={t('apps.redirectUrisHint')}
          rows={3}
          value={text}
          spellCheck={false}
          error={problem}
          onChange={(e) => setText(e.target.value)}
        />
        {serverProblem ? <Alert tone="error">{serverProblem}</Alert> : null}
        {save.isSuccess && !save.isPending ? (
          <p role="status" className="small">
            {t('apps.redirectUrisSaved')}
          </p>
        ) : null}
        <Button type="submit" variant="secondary" busy={save.isPending} busyLabel={t('apps.saving')}>
          {t('apps.redirectUrisSave')}
        </Button>
      </form>
    </Section>
  );
}
