// "Comisiones": the fee of each operation and currency (a percent plus a fixed amount), and the
// form that sets one; it applies to operations from now on.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { formatMoney } from '../../lib/format.ts';
import { describeError, localize } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { Alert, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { SelectField, TextField } from '../../ui/fields.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { FEE_OPERATIONS } from '../../../../src/modules/fees/model.ts';
import { useFees, useSetFee } from './queries.ts';
import type { FeeRule } from './types.ts';

// The server's own list: an operation added there is offered here (and needs its name in the locales).
const OPERATIONS = FEE_OPERATIONS;
const EMPTY: FeeRule = { operation: 'sale', currency: 'VES', percent: '', fixed: '' };
const DECIMAL = /^\d{1,9}([.,]\d{1,2})?$/;

function FeeForm({ initial, onSaved }: { initial: FeeRule; onSaved: (rule: FeeRule) => void }) {
  const { t } = useTranslation();
  const save = useSetFee();
  const [rule, setRule] = useState(initial);
  const [problems, setProblems] = useState<Partial<Record<keyof FeeRule, string>>>({});
  const set = (key: keyof FeeRule) => (e: { target: { value: string } }) => setRule((r) => ({ ...r, [key]: e.target.value }));
  const server = save.error instanceof ApiError ? save.error.fields : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof problems = {};
    const percent = rule.percent.trim().replace(',', '.') || '0';
    const fixed = rule.fixed.trim().replace(',', '.') || '0';
    if (!DECIMAL.test(percent) || Number(percent) > 100) found.percent = t('operator.fees.percentProblem');
    if (!DECIMAL.test(fixed)) found.fixed = t('operator.fees.fixedProblem');
    if (!/^[A-Za-z]{3}$/.test(rule.currency.trim())) found.currency = t('operator.fees.currencyProblem');
    setProblems(found);
    if (Object.keys(found).length) return;
    const sent = { ...rule, currency: rule.currency.trim().toUpperCase(), percent, fixed };
    save.mutate(sent, { onSuccess: (saved) => onSaved(saved) });
  };
  const error = (key: keyof FeeRule) => problems[key] ?? (server[key] && save.error instanceof ApiError ? localize(save.error, server[key], key) : undefined);
  return (
    <form className="form" onSubmit={submit} noValidate>
      {save.error && !Object.keys(server).length ? <Alert tone="error">{describeError(save.error, t)}</Alert> : null}
      <div className="fee-fields">
        <SelectField label={t('operator.fees.operation')} value={rule.operation} onChange={set('operation')} error={error('operation')}>
          {OPERATIONS.map((op) => (
            <option key={op} value={op}>
              {t(`operator.fees.operations.${op}`)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('operator.fees.currency')} value={rule.currency} onChange={set('currency')} maxLength={3} error={error('currency')} />
        <TextField
          label={t('operator.fees.percent')}
          hint={t('operator.fees.percentHint')}
          inputMode="decimal"
          value={rule.percent}
          onChange={set('percent')}
          maxLength={12}
          error={error('percent')}
        />
        <TextField
          label={t('operator.fees.fixed')}
          hint={t('operator.fees.fixedHint')}
          inputMode="decimal"
          value={rule.fixed}
          onChange={set('fixed')}
          maxLength={12}
          error={error('fixed')}
        />
      </div>
      <Button type="submit" busy={save.isPending} busyLabel={t('operator.fees.saving')}>
        {t('operator.fees.save')}
      </Button>
    </form>
  );
}

export function FeesPage() {
  const { t } = useTranslation();
  const fees = useFees();
  const [editing, setEditing] = useState<{ rule: FeeRule; n: number }>({ rule: EMPTY, n: 0 });
  const [saved, setSaved] = useState<FeeRule>();
  const describe = (r: FeeRule) => t('operator.fees.rule', { percent: r.percent, fixed: formatMoney(r.fixed, r.currency) });
  let body;
  if (!fees.isSuccess) body = <QueryStates query={fees} />;
  else if (fees.data.length === 0) body = <EmptyState title={t('operator.fees.emptyTitle')}>{t('operator.fees.emptyText')}</EmptyState>;
  else
    body = (
      <ul className="list">
        {fees.data.map((r) => {
          const name = t(`operator.fees.operations.${r.operation}`, { defaultValue: r.operation });
          return (
            <li className="list-item" key={`${r.operation}:${r.currency}`} data-testid="fee-rule">
              <div className="grow">
                <strong>{name}</strong> <span className="small muted">{r.currency}</span>
                <div>{describe(r)}</div>
              </div>
              <Button
                small
                variant="secondary"
                aria-label={t('operator.fees.editLabel', { name, currency: r.currency })}
                onClick={() => setEditing((e) => ({ rule: r, n: e.n + 1 }))}
              >
                {t('operator.fees.edit')}
              </Button>
            </li>
          );
        })}
      </ul>
    );
  return (
    <>
      <PageHeader title={t('operator.fees.title')} intro={t('operator.fees.intro')} />
      {saved ? (
        <Alert tone="success">{t('operator.fees.saved', { name: t(`operator.fees.operations.${saved.operation}`), rule: describe(saved) })}</Alert>
      ) : null}
      <div className="grid grid-2">
        <Section title={t('operator.fees.schedule')} id="schedule">
          {body}
        </Section>
        <Section title={t('operator.fees.set')} id="set-fee">
          {/* Remounted on "Editar", so the form starts from the rule chosen. */}
          <FeeForm key={editing.n} initial={editing.rule} onSaved={setSaved} />
        </Section>
      </div>
    </>
  );
}
