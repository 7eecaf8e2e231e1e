// "Registrar aplicación" (seed 000, 4.1.5): exactly the seed's fields. The logo is checked here
// (PNG signature, at most 1 MB) before it is uploaded, and again, fully, by the server.
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { logoProblem, readAppFields } from '../../../../src/modules/apps/rules.ts';
import type { FieldError } from '../../../../src/kernel/errors.ts';
import { currentLang } from '../../i18n.ts';
import { formatMoney } from '../../lib/format.ts';
import { rulesResolver, showServerErrors } from '../../lib/forms.ts';
import { describeError } from '../../lib/messages.ts';
import { useMe } from '../../lib/session.tsx';
import { Button, ButtonLink } from '../../ui/button.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { SelectField, TextArea, TextField } from '../../ui/fields.tsx';
import { PageHeader } from '../../ui/layout.tsx';
import { LogoField } from './logo-field.tsx';
import { useCreateApp } from './queries.ts';

interface Values {
  name: string;
  description: string;
  homepageUrl: string;
  receivingAccount: string;
  logo: FileList | null;
}

async function check(values: Values): Promise<FieldError[]> {
  const lang = currentLang();
  const problems = readAppFields(values, lang).errors;
  const file = values.logo?.[0];
  const head = file ? new Uint8Array(await file.slice(0, 8).arrayBuffer()) : undefined;
  const logo = logoProblem(file && head ? { size: file.size, head } : undefined, true, lang);
  if (logo) problems.push({ path: ['logo'], message: logo });
  return problems;
}

export function RegisterApp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const create = useCreateApp();
  const wallets = me.data?.wallets ?? [];
  const form = useForm<Values>({
    defaultValues: { name: '', description: '', homepageUrl: '', receivingAccount: wallets[0]?.id ?? '', logo: null },
    resolver: async (values, context, options) => {
      const problems = await check(values);
      return rulesResolver<Values>(() => problems)(values, context, options);
    },
  });
  const errors = form.formState.errors;
  const [preview, setPreview] = useState<string>();
  const logo = form.watch('logo');

  useEffect(() => {
    const file = logo?.[0];
    if (!file) return setPreview(undefined);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [logo]);

  const submit = form.handleSubmit(async (values) => {
    const body = new FormData();
    body.set('name', values.name);
    body.set('description', values.description);
    body.set('homepageUrl', values.homepageUrl);
    if (values.receivingAccount) body.set('receivingAccount', values.receivingAccount);
    body.set('logo', values.logo![0]!);
    try {
      const { app } = await create.mutateAsync(body);
      navigate(`/apps/${app.id}?created=1`);
    } catch (error) {
      showServerErrors(error, form.setError, ['name', 'description', 'homepageUrl', 'receivingAccount', 'logo']);
    }
  });

  return (
    <>
      <PageHeader title={t('apps.registerTitle')} intro={t('apps.registerIntro')} crumbs={`${t('nav.settings')} › ${t('nav.apps')}`} />
      <div className="card narrow-form">
        {create.error ? <Alert tone="error">{describeError(create.error, t)}</Alert> : null}
        <form className="form" onSubmit={submit} noValidate>
          <TextField label={t('apps.name')} hint={t('apps.nameHint')} maxLength={80} error={errors.name?.message} {...form.register('name')} />
          <TextArea
            label={t('apps.description')}
            hint={t('apps.descriptionHint')}
            maxLength={500}
            error={errors.description?.message}
            {...form.register('description')}
          />
          <TextField
            label={t('apps.homepageUrl')}
            hint={t('apps.homepageHint')}
            type="url"
            inputMode="url"
            placeholder="https://"
            error={errors.homepageUrl?.message}
            {...form.register('homepageUrl')}
          />
          <SelectField
            label={t('apps.receivingAccount')}
            hint={t('apps.receivingHint')}
            error={errors.receivingAccount?.message}
            {...form.register('receivingAccount')}
          >
            {wallets.map((w) => (
              <option key={w.id} value={w.id}>
                {`${t('apps.walletAccount', { currency: w.currency })} (${formatMoney(w.balance, w.currency)})`}
              </option>
            ))}
          </SelectField>
          <LogoField preview={preview} fileName={logo?.[0]?.name} error={errors.logo?.message} registration={form.register('logo')} />
          <div className="row">
            <Button type="submit" busy={create.isPending} busyLabel={t('apps.saving')}>
              {t('apps.accept')}
            </Button>
            <ButtonLink to="/apps" variant="secondary">
              {t('common.cancel')}
            </ButtonLink>
          </div>
        </form>
      </div>
    </>
  );
}
