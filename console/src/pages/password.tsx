// "¿Olvidó su contraseña?": ask for a link (the same answer whether the account exists or not; in
// sandbox the link is shown here), then choose a new password on the page the link opens.
import { useForm } from 'react-hook-form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { newPasswordProblems, signInProblems } from '../../../src/modules/identity/rules.ts';
import { currentLang } from '../i18n.ts';
import { api, ApiError } from '../lib/api.ts';
import { rulesResolver, showServerErrors } from '../lib/forms.ts';
import { describeError } from '../lib/messages.ts';
import { Button } from '../ui/button.tsx';
import { Alert } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';
import { useTitle } from '../title.tsx';

export function ForgotPassword() {
  const { t } = useTranslation();
  useTitle(t('auth.forgotTitle'));
  const ask = useMutation({ mutationFn: (login: string) => api<{ sent: true; link?: string }>('POST', '/console/api/password-reset', { login }) });
  const form = useForm<{ login: string }>({
    defaultValues: { login: '' },
    resolver: rulesResolver((v) => signInProblems({ ...v, password: 'x' }, currentLang())),
  });
  const submit = form.handleSubmit(async ({ login }) => {
    try {
      await ask.mutateAsync(login);
    } catch (error) {
      showServerErrors(error, form.setError, ['login']);
    }
  });
  const link = ask.data?.link;
  return (
    <div className="card">
      <h1>{t('auth.forgotTitle')}</h1>
      <p className="muted">{t('auth.forgotIntro')}</p>
      {ask.isSuccess ? (
        <Alert tone="success">
          {t('auth.forgotSent')}
          {link ? (
            <>
              {' '}
              {t('auth.forgotSandbox')} <a href={link}>{t('auth.forgotOpen')}</a>
            </>
          ) : null}
        </Alert>
      ) : null}
      {ask.error && ask.error instanceof ApiError && ask.error.status === 429 ? <Alert tone="warning">{t('auth.forgotTooMany')}</Alert> : null}
      {ask.error && !(ask.error instanceof ApiError && (ask.error.status === 429 || Object.keys(ask.error.fields).length)) ? (
        <Alert tone="error">{describeError(ask.error, t)}</Alert>
      ) : null}
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t('auth.login')}
          hint={t('auth.loginHint')}
          autoComplete="username"
          error={form.formState.errors.login?.message}
          {...form.register('login')}
        />
        <Button type="submit" block busy={ask.isPending} busyLabel={t('auth.forgotSending')}>
          {t('auth.forgotSend')}
        </Button>
      </form>
      <p className="small form-foot">
        <Link to="/signin">{t('auth.backToSignIn')}</Link>
      </p>
    </div>
  );
}

export function ResetPassword() {
  const { t } = useTranslation();
  useTitle(t('auth.resetTitle'));
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const reset = useMutation({ mutationFn: (password: string) => api<void>('POST', '/console/api/password-reset/confirm', { token, password }) });
  const form = useForm<{ password: string }>({
    defaultValues: { password: '' },
    resolver: rulesResolver((v) => newPasswordProblems(v.password, currentLang())),
  });
  const submit = form.handleSubmit(async ({ password }) => {
    try {
      await reset.mutateAsync(password);
    } catch (error) {
      showServerErrors(error, form.setError, ['password']);
    }
  });
  if (reset.isSuccess) {
    return (
      <div className="card">
        <h1>{t('auth.resetTitle')}</h1>
        <Alert tone="success">{t('auth.resetDone')}</Alert>
        <p>
          <Link to="/signin">{t('auth.signIn')}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <h1>{t('auth.resetTitle')}</h1>
      <p className="muted">{t('auth.resetIntro')}</p>
      {reset.error && !(reset.error instanceof ApiError && Object.keys(reset.error.fields).length) ? (
        <Alert tone="error">
          {describeError(reset.error, t)} <Link to="/forgot-password">{t('auth.resetAskAgain')}</Link>
        </Alert>
      ) : null}
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t('auth.resetNewPassword')}
          hint={t('auth.newPasswordHint')}
          type="password"
          autoComplete="new-password"
          error={form.formState.errors.password?.message}
          {...form.register('password')}
        />
        <Button type="submit" block busy={reset.isPending} busyLabel={t('auth.resetSaving')}>
          {t('auth.resetSave')}
        </Button>
      </form>
    </div>
  );
}
