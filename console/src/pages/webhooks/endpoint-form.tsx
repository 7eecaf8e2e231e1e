// "Agregar endpoint" and "Editar endpoint": the URL, an optional description and the event
// types, chosen from the server's catalogue (or all of them, "*"), and when editing whether it
// receives events. Checked here with the server's rules before sending; where the URL may point
// only the server says, on the same field. A pattern the catalogue does not list ("payment.*",
// set through the API) stays a choice of its own when editing, so saving does not drop it.
import { useEffect, useId } from 'react';
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
import type { WebhookEndpoint } from '../../lib/types.ts';
import type { EndpointDraft } from './queries.ts';

interface Values {
  url: string;
  description: string;
  all: boolean;
  eventTypes: string[];
  enabled: boolean;
}

const draftOf = (v: Values): EndpointDraft => ({ url: v.url.trim(), description: v.description.trim(), eventTypes: v.all ? ['*'] : v.eventTypes });
const EMPTY: Values = { url: '', description: '', all: false, eventTypes: [], enabled: true };
const KNOWN = new Set<string>(EVENT_GROUPS.flatMap((g) => g.types));

function valuesOf(e: WebhookEndpoint): Values {
  const all = e.eventTypes.includes('*');
  return { url: e.url, description: e.description, all, eventTypes: all ? [] : e.eventTypes, enabled: e.enabled };
}

export type EndpointFormProps =
  | { endpoint?: undefined; onCreate: (draft: EndpointDraft) => Promise<unknown> }
  | { endpoint: WebhookEndpoint; onSave: (change: EndpointDraft & { enabled: boolean }) => Promise<unknown>; onCancel: () => void };

export function EndpointForm(props: EndpointFormProps) {
  const { t } = useTranslation();
  const summary = useEventSummary();
  const id = useId();
  const editing = props.endpoint;
  const form = useForm<Values>({
    defaultValues: editing ? valuesOf(editing) : EMPTY,
    resolver: rulesResolver((v: Values) => endpointFormProblems(draftOf(v), currentLang())),
  });
  const { errors, isSubmitting } = form.formState;
  const all = form.watch('all');
  const others = editing ? editing.eventTypes.filter((type) => type !== '*' && !KNOWN.has(type)) : [];
  // Opened from an endpoint's "Editar": the keyboard lands in the form.
  useEffect(() => {
    if (editing) form.setFocus('url');
  }, [editing, form]);

  const submit = form.handleSubmit(async (values) => {
    try {
      if (props.endpoint) await props.onSave({ ...draftOf(values), enabled: values.enabled });
      else {
        await props.onCreate(draftOf(values));
        form.reset(EMPTY);
      }
    } catch (error) {
      const placed = showServerErrors(error, form.setError, ['url', 'description', 'eventTypes']);
      // A refused type is reported on its index ("eventTypes.3"): it belongs to the whole group.
      const typeProblem = error instanceof ApiError ? Object.entries(error.fields).find(([k]) => k.startsWith('eventTypes.')) : undefined;
      if (typeProblem) form.setError('eventTypes', { type: 'server', message: localize(error as ApiError, typeProblem[1], typeProblem[0]) });
      if (!placed && !typeProblem) form.setError('root', { type: 'server', message: describeError(error, t) });
    }
  });

  const typesError = errors.eventTypes?.message;
  return (
    <Section title={editing ? t('webhooks.editTitle') : t('webhooks.add')} id={editing ? 'edit-endpoint' : 'add-endpoint'}>
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
          {others.length ? (
            <fieldset className="event-group" disabled={all}>
              <legend>{t('webhooks.otherPatterns')}</legend>
              <div className="choices">
                {others.map((type) => (
                  <label className="choice" key={type}>
                    <input type="checkbox" value={type} {...form.register('eventTypes')} />
                    <strong className="mono">{type}</strong>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
        </fieldset>
        {editing ? (
          <label className="choice">
            <input type="checkbox" {...form.register('enabled')} />
            <span>
              <strong>{t('webhooks.enabledSwitch')}</strong>
              <span className="muted">{t('webhooks.enabledHint')}</span>
            </span>
          </label>
        ) : null}
        <div className="row">
          <Button type="submit" busy={isSubmitting} busyLabel={editing ? t('webhooks.saving') : t('webhooks.adding')}>
            {editing ? t('webhooks.save') : t('webhooks.add')}
          </Button>
          {props.endpoint ? (
            <Button variant="secondary" onClick={props.onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
        </div>
      </form>
    </Section>
  );
}
