// Registration as a person or as a business (with an affiliation code; in sandbox a test code
// is one click away, as the "Obtener codigos de registro" link of the sandbox docs). The rules
// are the server's own (src/modules/identity/rules.ts); on success the user is signed in.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { readRegistration } from '../../../src/modules/identity/rules.ts';
import { currentLang } from '../i18n.ts';
import { api } from '../lib/api.ts';
import { rulesResolver, showServerErrors } from '../lib/forms.ts';
import { describeError } from '../lib/messages.ts';
import { useConfig, useSignIn } from '../lib/session.tsx';
import { Button } from '../ui/button.tsx';
import { Alert } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';
import { useTitle } from '../title.tsx';

interface Values {
  type: 'person' | 'business';
  name: string;
  username: string;
  email: string;
  phone: string;
  identification: string;
  password: string;
  pin: string;
  affiliationCode: string;
}

const FIELDS = ['type', 'name', 'username', 'email', 'phone', 'identification', 'password', 'pin', 'affiliationCode'] as const;

export function SignUp() {
  const { t } = useTranslation();
  useTitle(t('auth.signUpTitle'));
  const navigate = useNavigate();
  const config = useConfig();
  const signIn = useSignIn();
  const [codeNote, setCodeNote] = useState('');
  const form = useForm<Values>({
    defaultValues: { type: 'business', name: '', username: '', email: '', phone: '', identification: '', password: '', pin: '', affiliationCode: '' },
    resolver: rulesResolver((v) => readRegistration(v.type === 'person' ? { ...v, affiliationCode: undefined } : v, currentLang()).errors),
  });
  const errors = form.formState.errors;
  const type = form.watch('type');

  const register = useMutation({
    mutationFn: (values: Values) => {
      const { affiliationCode, pin, ...rest } = values;
      return api(
        'POST',
        '/console/api/register',
        { ...rest, ...(pin ? { pin } : {}), ...(values.type === 'business' ? { affiliationCode } : {}) },
        { anonymous: true },
      );
    },
  });
  const sandboxCode = useMutation({
    mutationFn: () => api<{ regular: string }>('GET', config.data!.affiliationCodesUrl!, undefined, { anonymous: true }),
    onSuccess: (codes) => {
      form.setValue('affiliationCode', codes.regular, { shouldValidate: form.formState.isSubmitted });
      setCodeNote(t('auth.sandboxCodeFilled', { code: codes.regular }));
    },
  });

  const submit = form.handleSubmit(async (values) => {
    try {
      await register.mutateAsync(values);
      await signIn.mutateAsync({ login: values.username, password: values.password });
      navigate(values.type === 'business' ? '/apps?welcome=1' : '/?welcome=1', { replace: true });
    } catch (error) {
      showServerErrors(error, form.setError, FIELDS);
    }
  });

  const failure = register.error ?? signIn.error ?? sandboxCode.error;
  const codesUrl = config.data?.affiliationCodesUrl;
  return (
    <div className="card">
      <h1>{t('auth.signUpTitle')}</h1>
      <p className="muted">{t('auth.signUpIntro')}</p>
      {failure ? <Alert tone="error">{describeError(failure, t)}</Alert> : null}
      <form className="form" onSubmit={submit} noValidate>
        <fieldset className="field">
          <legend>{t('auth.accountType')}</legend>
          <div className="choices">
            {(['business', 'person'] as const).map((value) => (
              <label className="choice" key={value}>
                <input type="radio" value={value} {...form.register('type')} />
                <span>
                  <strong>{t(`auth.${value}`)}</strong>
                  <span className="muted">{t(`auth.${value}Hint`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <TextField
          label={t(type === 'business' ? 'auth.businessName' : 'auth.name')}
          autoComplete={type === 'business' ? 'organization' : 'name'}
          error={errors.name?.message}
          {...form.register('name')}
        />
        <TextField
          label={t('auth.username')}
          hint={t('auth.usernameHint')}
          autoComplete="username"
          autoCapitalize="none"
          error={errors.username?.message}
          {...form.register('username')}
        />
        <TextField label={t('auth.email')} type="email" autoComplete="email" error={errors.email?.message} {...form.register('email')} />
        <TextField
          label={t('auth.phone')}
          hint={t('auth.phoneHint')}
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          error={errors.phone?.message}
          {...form.register('phone')}
        />
        <TextField
          label={t('auth.identification')}
          hint={t('auth.identificationHint')}
          autoCapitalize="characters"
          error={errors.identification?.message}
          {...form.register('identification')}
        />
        <TextField
          label={t('auth.newPassword')}
          hint={t('auth.newPasswordHint')}
          type="password"
          autoComplete="new-password"
          error={errors.password?.message}
          {...form.register('password')}
        />
        <TextField
          label={t('auth.pin')}
          hint={t('auth.pinHint')}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={4}
          error={errors.pin?.message}
          {...form.register('pin')}
        />
        {type === 'business' ? (
          <TextField
            label={t('auth.affiliationCode')}
            hint={t('auth.affiliationHint')}
            autoComplete="off"
            error={errors.affiliationCode?.message}
            {...form.register('affiliationCode')}
            action={
              codesUrl ? (
                <Button variant="secondary" busy={sandboxCode.isPending} busyLabel={t('auth.gettingCode')} onClick={() => sandboxCode.mutate()}>
                  {t('auth.getSandboxCode')}
                </Button>
              ) : undefined
            }
          />
        ) : null}
        {codeNote && type === 'business' ? (
          <p className="small muted" role="status">
            {codeNote}
          </p>
        ) : null}
        <Button type="submit" block busy={register.isPending || signIn.isPending} busyLabel={t('auth.signingUp')}>
          {t('auth.signUp')}
        </Button>
      </form>
      <p className="small form-foot">
        {t('auth.haveAccount')} <Link to="/signin">{t('auth.signInTitle')}</Link>
      </p>
    </div>
  );
}
