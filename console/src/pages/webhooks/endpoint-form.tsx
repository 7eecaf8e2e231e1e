// "Agregar endpoint": the URL, an optional description and the event types, chosen from the
// server's catalogue (or all of them, "*"). Checked here with the server's rules before sending;
// where the URL may point only the server says, on the same field.
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { endpointFormProblems } from '../../../../src/modules/webhooks/rules.ts';
import { currentLang } from '../../i18n.ts';
import { ApiError } from '../../lib/api.ts';
import { rulesResolver, showServerErrors } from '../../lib/forms.ts';
import { describeError, localize } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { TextField } from '../../ui/fields.tsx';
import { Section } from '../../ui/layout.tsx';
import { EVENT_GROUPS, useEventSummary } from './events.ts';
import type { EndpointDraft } from './queries.ts';

interface Values {
  url: string;
  description: string;
  all: boolean;
  eventTypes: string[];
}

const draftOf = (v: Values): EndpointDraft => ({ url: v.url.trim(), description: v.description.trim(), eventTypes: v.all ? ['*'] : v.eventTypes });
const EMPTY: Values = { url: '', description: '', all: false, eventTypes: [] };

export function EndpointForm({ onCreate }: { onCreate: (draft: EndpointDraft) => Promise<unknown> }) {
  const { t } = useTranslation();
  const summary = useEventSummary();
  const id = useId();
  const form = useForm<Values>({
    defaultValues: EMPTY,
    resolver: rulesResolver((v: Values) => endpointFormProblems(draftOf(v), currentLang())),
  });
  const { errors, isSubmitting } = form.formState;
  const all = form.watch('all');

  const submit = form.handleSubmit(async (values) => {
    try {
      await onCreate(draftOf(values));
      form.reset(EMPTY);
    } catch (error) {
      const placed = showServerErrors(error, form.setError, ['url', 'description', 'eventTypes']);
      // A refused type is reported on its index ("eventTypes.3"): it belongs to the whole group.
      const typeProblem = error instanceof ApiError ? Object.entries(error.fields).find(([k]) => k.startsWith('eventTypes.')) : undefined;
      if (typeProblem) form.setError('eventTypes', { type: 'server', message: localize(error as ApiError, typeProblem[1]) });
      if (!placed && !typeProblem) form.setError('root', { type: 'server', message: describeError(error, t) });
    }
  });

  const typesError = errors.eventTypes?.message;
  return (
    <Section title={t('webhooks.add')} id="add-endpoint">
      <form className="form" onSubmit={submit} noValidate>
        {errors.root?.message ? <Alert tone="error">{errors.root.message}</Alert> : null}
        <TextField
          label={t('webhooks.url')}
          hint={t('webhooks.urlHint')}
          type="url"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          maxLength={500}
          error={errors.url?.message}
          {...form.register('url')}
        />
        <TextField label={t('webhooks.description')} maxLength={200} error={errors.description?.message} {...form.register('description')} />
        <fieldset className="field" aria-describedby={[`${id}-hint`, typesError ? `${id}-error` : ''].filter(Boolean).join(' ')}>
          <legend>{t('webhooks.eventTypes')}</legend>
          <p className="hint" id={`${id}-hint`}>
            {t('webhooks.eventTypesHint')}
          </p>
          {typesError ? (
            <p className="field-error" id={`${id}-error`}>
              {typesError}
            </p>
          ) : null}
          <label className="choice">
            <input type="checkbox" {...form.register('all')} />
            <span>
              <strong>{t('webhooks.allEvents')}</strong>
              <span className="muted">{t('webhooks.allEventsHint')}</span>
            </span>
          </label>
          {EVENT_GROUPS.map((group) => (
            <fieldset className="event-group" key={group.object} disabled={all}>
              <legend>{t(`webhooks.objects.${group.object}`)}</legend>
              <div className="choices">
                {group.types.map((type) => (
                  <label className="choice" key={type}>
                    <input type="checkbox" value={type} {...form.register('eventTypes')} />
                    <span>
                      <strong className="mono">{type}</strong>
                      <span className="muted">{summary(type)}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
        </fieldset>
        <Button type="submit" busy={isSubmitting} busyLabel={t('webhooks.adding')}>
          {t('webhooks.add')}
        </Button>
      </form>
    </Section>
  );
}
