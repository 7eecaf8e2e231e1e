// The operations PIN: created or changed with the account password (which also unlocks a PIN
// locked by wrong guesses; the password check counts like a sign-in attempt on the server).
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { pinFormProblems } from '../../../../src/modules/identity/rules.ts';
import { currentLang } from '../../i18n.ts';
import { ApiError } from '../../lib/api.ts';
import { rulesResolver, showServerErrors } from '../../lib/forms.ts';
import { describeError } from '../../lib/messages.ts';
import type { WalletSummary } from '../../lib/types.ts';
import { Button, ButtonLink } from '../../ui/button.tsx';
import { Alert, QueryStates } from '../../ui/feedback.tsx';
import { PinField, TextField } from '../../ui/fields.tsx';
import { PageHeader } from '../../ui/layout.tsx';
import { useSetPin, useWallet } from './queries.ts';

/** What the person must do about the PIN before paying or sending, if anything. */
export function PinState({ pin }: { pin: WalletSummary['pin'] }) {
  const { t } = useTranslation();
  if (pin.locked)
    return (
      <Alert tone="warning" title={t('wallet.pinLockedTitle')}>
        <p>
          {t('wallet.pinLockedText')} <Link to="/wallet/pin">{t('wallet.pinReset')}</Link>
        </p>
      </Alert>
    );
  if (!pin.set)
    return (
      <Alert tone="info" title={t('wallet.pinMissingTitle')}>
        <p>
          {t('wallet.pinMissingText')} <Link to="/wallet/pin">{t('wallet.pinCreate')}</Link>
        </p>
      </Alert>
    );
  return null;
}

export function PinPage() {
  const { t } = useTranslation();
  const wallet = useWallet();
  const setPin = useSetPin();
  const [saved, setSaved] = useState<'created' | 'changed'>();
  const form = useForm<{ password: string; pin: string }>({
    defaultValues: { password: '', pin: '' },
    resolver: rulesResolver((v) => pinFormProblems(v, currentLang())),
  });
  const errors = form.formState.errors;
  const crumbs = <Link to="/wallet">{t('nav.wallet')}</Link>;
  if (!wallet.isSuccess) return <QueryStates query={wallet} />;
  const { pin } = wallet.data;
  const title = pin.set ? t('wallet.pinChangeTitle') : t('wallet.pinCreateTitle');

  const submit = form.handleSubmit(async (values) => {
    try {
      const had = pin.set;
      setSaved(undefined);
      await setPin.mutateAsync(values);
      form.reset({ password: '', pin: '' });
      setSaved(had ? 'changed' : 'created');
    } catch (error) {
      showServerErrors(error, form.setError, ['password', 'pin']);
    }
  });
  const failure = setPin.error;

  return (
    <>
      <PageHeader title={title} intro={t('wallet.pinIntro')} crumbs={crumbs} />
      <div className="narrow-form">
        {saved ? <Alert tone="success">{saved === 'created' ? t('wallet.pinCreated') : t('wallet.pinChanged')}</Alert> : null}
        {pin.locked && !saved ? <Alert tone="warning">{t('wallet.pinLockedText')}</Alert> : null}
        {failure instanceof ApiError && failure.status === 429 ? (
          <Alert tone="warning">{t('auth.tooMany')}</Alert>
        ) : failure && !(failure instanceof ApiError && Object.keys(failure.fields).length) ? (
          <Alert tone="error">{describeError(failure, t)}</Alert>
        ) : null}
        <div className="card">
          <form className="form" onSubmit={submit} noValidate>
            <TextField
              label={t('wallet.password')}
              hint={t('wallet.passwordHint')}
              type="password"
              autoComplete="current-password"
              error={errors.password?.message}
              {...form.register('password')}
            />
            <PinField
              label={pin.set ? t('wallet.newPin') : t('wallet.pin')}
              hint={t('wallet.newPinHint')}
              autoComplete="new-password"
              error={errors.pin?.message}
              {...form.register('pin')}
            />
            <div className="row">
              <Button type="submit" busy={setPin.isPending} busyLabel={t('wallet.pinSaving')}>
                {pin.set ? t('wallet.pinChange') : t('wallet.pinCreate')}
              </Button>
              <ButtonLink to="/wallet" variant="secondary">
                {t('common.back')}
              </ButtonLink>
            </div>
          </form>
        </div>
      </div>
    </>
  );
}
