// Sandbox test money ("recarga de prueba") for test users: the sandbox funding helper, from the
// person's own console. Other people in a sandbox are told who may use it.
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { topUpProblems } from '../../../../src/modules/wallets/rules.ts';
import { currentLang } from '../../i18n.ts';
import { ApiError } from '../../lib/api.ts';
import { formatMoney } from '../../lib/format.ts';
import { rulesResolver, showServerErrors } from '../../lib/forms.ts';
import { describeError } from '../../lib/messages.ts';
import { useConfig } from '../../lib/session.tsx';
import type { WalletSummary } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { SelectField, TextField } from '../../ui/fields.tsx';
import { Section } from '../../ui/layout.tsx';
import { useTopUp } from './queries.ts';

export function TopUpSection({ summary }: { summary: WalletSummary }) {
  const { t } = useTranslation();
  const sandbox = useConfig().data?.environment === 'sandbox';
  const topUp = useTopUp();
  const form = useForm<{ amount: string; currency: string }>({
    defaultValues: { amount: '100', currency: summary.wallets[0]?.currency ?? 'VES' },
    resolver: rulesResolver((v) => topUpProblems(v, currentLang())),
  });
  if (!sandbox) return null;
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    try {
      await topUp.mutateAsync(values);
    } catch (error) {
      showServerErrors(error, form.setError, ['amount', 'currency']);
    }
  });
  const added = topUp.data && topUp.variables;
  return (
    <Section title={t('wallet.topUpTitle')} id="top-up">
      {!summary.testTopUp ? (
        <p className="muted small">{t('wallet.topUpTestOnly')}</p>
      ) : (
        <>
          <p className="muted small">{t('wallet.topUpIntro')}</p>
          {added && !topUp.isPending ? <Alert tone="success">{t('wallet.toppedUp', { amount: formatMoney(added.amount, added.currency) })}</Alert> : null}
          {topUp.error && !(topUp.error instanceof ApiError && Object.keys(topUp.error.fields).length) ? (
            <Alert tone="error">{describeError(topUp.error, t)}</Alert>
          ) : null}
          <form className="form" onSubmit={submit} noValidate>
            <div className="grid grid-2 form-pair">
              <TextField
                label={t('wallet.amount')}
                hint={t('wallet.amountHint')}
                inputMode="decimal"
                autoComplete="off"
                error={errors.amount?.message}
                {...form.register('amount')}
              />
              <SelectField label={t('wallet.currency')} error={errors.currency?.message} {...form.register('currency')}>
                {['VES', 'USD'].map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </SelectField>
            </div>
            <Button type="submit" variant="secondary" busy={topUp.isPending} busyLabel={t('wallet.toppingUp')}>
              {t('wallet.topUp')}
            </Button>
          </form>
        </>
      )}
    </Section>
  );
}
