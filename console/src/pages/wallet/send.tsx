// "Enviar dinero": to another person by username, phone or identification, authorized with the
// PIN. The browser checks the form with the server's rules; the answer shows the reference.
import { useRef } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { pinProblems } from '../../../../src/modules/identity/rules.ts';
import { transferProblems } from '../../../../src/modules/wallets/rules.ts';
import { currentLang } from '../../i18n.ts';
import { ApiError } from '../../lib/api.ts';
import { formatMoney } from '../../lib/format.ts';
import { rulesResolver, showServerErrors } from '../../lib/forms.ts';
import { describeError } from '../../lib/messages.ts';
import { Button, ButtonLink } from '../../ui/button.tsx';
import { Alert, QueryStates } from '../../ui/feedback.tsx';
import { PinField, SelectField, TextField } from '../../ui/fields.tsx';
import { PageHeader } from '../../ui/layout.tsx';
import { PinState } from './pin.tsx';
import { useSendMoney, useWallet } from './queries.ts';

interface Values {
  to: string;
  amount: string;
  currency: string;
  description: string;
  pin: string;
}

const FIELDS = ['to', 'amount', 'currency', 'description', 'pin'] as const;

export function SendMoney() {
  const { t } = useTranslation();
  const wallet = useWallet();
  const send = useSendMoney();
  // One idempotency key per transfer: kept when an attempt got no answer at all (the network
  // failed, so the server may have moved the money), so sending again cannot move it twice.
  const pending = useRef<{ values: string; key: string } | undefined>(undefined);
  const form = useForm<Values>({
    defaultValues: { to: '', amount: '', currency: 'VES', description: '', pin: '' },
    resolver: rulesResolver((v) => [...transferProblems(v, currentLang()), ...pinProblems(v.pin, currentLang())]),
  });
  const errors = form.formState.errors;
  const header = <PageHeader title={t('wallet.sendTitle')} intro={t('wallet.sendIntro')} crumbs={<Link to="/wallet">{t('nav.wallet')}</Link>} />;
  if (!wallet.isSuccess) return <QueryStates query={wallet} header={header} />;

  const currency = form.watch('currency');
  const source = wallet.data.wallets.find((w) => w.currency === currency);
  const submit = form.handleSubmit(async (values) => {
    const same = JSON.stringify(values);
    if (pending.current?.values !== same) pending.current = { values: same, key: crypto.randomUUID() };
    try {
      await send.mutateAsync({ ...values, idempotencyKey: pending.current.key });
      pending.current = undefined;
      form.reset({ ...values, to: '', amount: '', description: '', pin: '' });
    } catch (error) {
      // An answer (a refusal, a wrong PIN) means nothing moved: the next attempt is a new transfer.
      if (error instanceof ApiError && error.status < 500) pending.current = undefined;
      showServerErrors(error, form.setError, FIELDS);
    }
  });
  const failure = send.error;
  const sent = send.data;

  return (
    <>
      {header}
      <div className="narrow-form">
        <PinState pin={wallet.data.pin} />
        {sent && !send.isPending ? (
          <Alert tone="success" title={t('wallet.sent', { amount: formatMoney(sent.amount, sent.currency), to: sent.toUsername })}>
            <p>
              {t('wallet.sentRef', { ref: sent.ref })}
              {Number(sent.fee) > 0 ? ` · ${t('wallet.fee', { amount: formatMoney(sent.fee, sent.currency) })}` : ''}
            </p>
          </Alert>
        ) : null}
        {failure && !(failure instanceof ApiError && Object.keys(failure.fields).length && !failure.general.length) ? (
          <Alert tone="error">{describeError(failure, t)}</Alert>
        ) : null}
        <div className="card">
          <form className="form" onSubmit={submit} noValidate>
            <TextField label={t('wallet.to')} hint={t('wallet.toHint')} autoComplete="off" error={errors.to?.message} {...form.register('to')} />
            <div className="grid grid-2 form-pair">
              <TextField
                label={t('wallet.amount')}
                hint={`${source ? `${t('wallet.availableHint', { amount: formatMoney(source.balance, source.currency) })}. ` : ''}${t('wallet.amountHint')}`}
                inputMode="decimal"
                autoComplete="off"
                error={errors.amount?.message}
                {...form.register('amount')}
              />
              <SelectField label={t('wallet.currency')} error={errors.currency?.message} {...form.register('currency')}>
                {(wallet.data.wallets.length ? wallet.data.wallets.map((w) => w.currency) : ['VES']).map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </SelectField>
            </div>
            <TextField label={t('wallet.description')} hint={t('wallet.descriptionHint')} maxLength={200} {...form.register('description')} />
            <PinField label={t('wallet.pin')} hint={t('wallet.pinHint')} error={errors.pin?.message} {...form.register('pin')} />
            <div className="row">
              <Button type="submit" busy={send.isPending} busyLabel={t('wallet.sending')}>
                {t('wallet.send')}
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
