// Sign in with username, phone or identification. Says why the user is here (session expired,
// signed out, just registered) and says kindly when there were too many attempts.
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { signInProblems } from '../../../src/modules/identity/rules.ts';
import { currentLang } from '../i18n.ts';
import { ApiError } from '../lib/api.ts';
import { rulesResolver, showServerErrors } from '../lib/forms.ts';
import { describeError, ruleText } from '../lib/messages.ts';
import { safeNext, useMe, useSignIn } from '../lib/session.tsx';
import { Button } from '../ui/button.tsx';
import { Alert } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';
import { useTitle } from '../title.tsx';

interface Values {
  login: string;
  password: string;
}

export function SignIn() {
  const { t } = useTranslation();
  useTitle(t('auth.signInTitle'));
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const client = useQueryClient();
  const signIn = useSignIn();
  const next = safeNext(params.get('next'));
  const form = useForm<Values>({ defaultValues: { login: '', password: '' }, resolver: rulesResolver((v) => signInProblems(v, currentLang())) });
  const errors = form.formState.errors;

  // Sent here because the session ended (signed out, expired): forget it here, once the
  // signed-in pages are gone. Otherwise a signed-in visitor goes straight on.
  const ended = Boolean(params.get('signedout') || params.get('expired'));
  useEffect(() => {
    if (ended) client.setQueryData(['me'], null);
  }, [ended, client]);
  if (me.data && !ended && !signIn.isPending && !signIn.isSuccess) return <Navigate to={next} replace />;

  const submit = form.handleSubmit(async (values) => {
    try {
      await signIn.mutateAsync(values);
      navigate(next, { replace: true });
    } catch (error) {
      showServerErrors(error, form.setError, ['login', 'password']);
    }
  });

  const failure = signIn.error;
  const notice = params.get('expired')
    ? { tone: 'warning' as const, text: t('auth.expired') }
    : params.get('signedout')
      ? { tone: 'info' as const, text: t('auth.signedOut') }
      : params.get('registered')
        ? { tone: 'success' as const, text: t('auth.registered') }
        : undefined;

  return (
    <div className="card">
      <h1>{t('auth.signInTitle')}</h1>
      <p className="muted">{t('auth.signInIntro')}</p>
      {notice && !failure ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {failure instanceof ApiError && failure.status === 429 ? (
        <Alert tone="warning">{t('auth.tooMany')}</Alert>
      ) : failure instanceof ApiError && failure.status === 401 ? (
        // The sign-in's one 401: no account with this login and password (the rules' words).
        <Alert tone="error">{ruleText('identity.badLogin') ?? failure.message}</Alert>
      ) : failure && !(failure instanceof ApiError && Object.keys(failure.fields).length) ? (
        <Alert tone="error">{describeError(failure, t)}</Alert>
      ) : null}
      <form className="form" onSubmit={submit} noValidate>
        <TextField label={t('auth.login')} hint={t('auth.loginHint')} autoComplete="username" error={errors.login?.message} {...form.register('login')} />
        <TextField label={t('auth.password')} type="password" autoComplete="current-password" error={errors.password?.message} {...form.register('password')} />
        <Button type="submit" block busy={signIn.isPending} busyLabel={t('auth.signingIn')}>
          {t('auth.signIn')}
        </Button>
      </form>
      <p className="small form-foot">
        <Link to="/forgot-password">{t('auth.forgotLink')}</Link>
      </p>
      <p className="small form-foot">
        {t('auth.noAccount')} <Link to="/signup">{t('auth.createAccount')}</Link>
      </p>
    </div>
  );
}
