// "Cuentas de distribución": who may receive a part of each payment of the app. The owner
// authorizes an account by username, phone, identification or account number (the form checks
// the server's rule first; the server tells unknown or own accounts) and removes one after a
// confirmation. Without the distributions permission the section says how to get it in place of
// the form, and still lists the accounts: the server lets the owner remove them without it.
import { useRef, useState, type RefObject } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { readDistributionAccount } from '../../../../src/modules/apps/rules.ts';
import { currentLang } from '../../i18n.ts';
import { ApiError } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { rulesResolver, showServerErrors } from '../../lib/forms.ts';
import { describeError } from '../../lib/messages.ts';
import type { App, DistributionRecipient } from '../../lib/types.ts';
import { Button } from '../../ui/button.tsx';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { TextField } from '../../ui/fields.tsx';
import { Alert } from '../../ui/feedback.tsx';
import { Section } from '../../ui/layout.tsx';
import { useAddDistributionAccount, useRemoveDistributionAccount } from './queries.ts';

const who = (r: DistributionRecipient) => ({ name: r.name, username: r.username });

function RecipientItem({ recipient: r, onRemove }: { recipient: DistributionRecipient; onRemove: (r: DistributionRecipient) => void }) {
  const { t } = useTranslation();
  return (
    <li className="list-item" data-testid="distribution-account" data-account={r.accountId}>
      <div className="grow">
        <div>
          <strong>{r.name}</strong> <span className="muted">@{r.username}</span>
        </div>
        <div className="small muted">
          <span className="mono">{r.accountId}</span> · {r.currency} · {t('distribution.since', { date: formatDate(r.authorizedAt) })}
        </div>
      </div>
      <Button variant="danger" small aria-label={t('distribution.removeLabel', { name: r.name })} onClick={() => onRemove(r)}>
        {t('distribution.remove')}
      </Button>
    </li>
  );
}

function NeedsPermission({ sandbox, linkRef }: { sandbox: boolean; linkRef: RefObject<HTMLAnchorElement | null> }) {
  const { t } = useTranslation();
  return (
    <Alert tone="info">
      <p>{sandbox ? t('distribution.needsPermissionSandbox') : t('distribution.needsPermissionProduction')}</p>
      <p>
        <a href="#permissions" ref={linkRef}>
          {t('distribution.toPermissions')}
        </a>
      </p>
    </Alert>
  );
}

function DistributionAccounts({ app, sandbox }: { app: App; sandbox: boolean }) {
  const { t } = useTranslation();
  const canAdd = app.permissions.distributions;
  const permissionLink = useRef<HTMLAnchorElement>(null);
  const add = useAddDistributionAccount(app.id);
  const remove = useRemoveDistributionAccount(app.id);
  const [removing, setRemoving] = useState<DistributionRecipient>();
  const [notice, setNotice] = useState<string>();
  const form = useForm<{ account: string }>({
    defaultValues: { account: '' },
    resolver: rulesResolver((v) => readDistributionAccount(v.account, currentLang()).errors),
  });

  const submit = form.handleSubmit(async ({ account }) => {
    setNotice(undefined);
    try {
      const answer = await add.mutateAsync(account);
      const recipient = answer.app.distributionRecipients.find((r) => r.accountId === answer.accountId);
      if (recipient) setNotice(t(answer.added ? 'distribution.added' : 'distribution.already', who(recipient)));
      form.reset({ account: '' });
    } catch (error) {
      showServerErrors(error, form.setError, ['account']);
    }
  });

  const confirmRemove = () => {
    if (!removing) return;
    const gone = removing;
    remove.mutate(gone.accountId, {
      onSuccess: () => {
        setRemoving(undefined);
        setNotice(t('distribution.removed', who(gone)));
        // The button that opened the dialog is gone with its row: the form (or, without it, the way to the permission) takes the focus.
        requestAnimationFrame(() => (canAdd ? form.setFocus('account') : permissionLink.current?.focus()));
      },
    });
  };

  // A refusal that names no field of this form (e.g. the permission was just turned off).
  const failure = add.error instanceof ApiError && Object.keys(add.error.fields).length ? undefined : add.error;
  const recipients = app.distributionRecipients;
  return (
    <>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {failure ? <Alert tone="error">{describeError(failure, t)}</Alert> : null}
      {recipients.length ? (
        <ul className="list" aria-label={t('distribution.listLabel')}>
          {recipients.map((r) => (
            <RecipientItem key={r.accountId} recipient={r} onRemove={setRemoving} />
          ))}
        </ul>
      ) : (
        <p className="muted">{t('distribution.empty')}</p>
      )}
      {canAdd ? (
        <form className="form distribution-form" onSubmit={submit} noValidate>
          <TextField
            label={t('distribution.account')}
            hint={t('distribution.accountHint')}
            autoComplete="off"
            spellCheck={false}
            maxLength={100}
            error={form.formState.errors.account?.message}
            {...form.register('account')}
            action={
              <Button type="submit" variant="secondary" busy={add.isPending} busyLabel={t('distribution.adding')}>
                {t('distribution.add')}
              </Button>
            }
          />
        </form>
      ) : (
        <NeedsPermission sandbox={sandbox} linkRef={permissionLink} />
      )}
      <ConfirmDialog
        open={removing !== undefined}
        title={t('distribution.removeTitle')}
        confirmLabel={t('distribution.removeConfirm')}
        busy={remove.isPending}
        busyLabel={t('distribution.removing')}
        danger
        onConfirm={confirmRemove}
        onClose={() => {
          setRemoving(undefined);
          remove.reset();
        }}
      >
        <p>{removing ? t('distribution.removeText', who(removing)) : null}</p>
        {removing ? <p className="small muted mono">{removing.accountId}</p> : null}
        {remove.error ? <Alert tone="error">{describeError(remove.error, t)}</Alert> : null}
      </ConfirmDialog>
    </>
  );
}

export function DistributionSection({ app, sandbox }: { app: App; sandbox: boolean }) {
  const { t } = useTranslation();
  return (
    <Section title={t('distribution.title')} id="distribution-accounts">
      <p className="muted small">{t('distribution.intro')}</p>
      <DistributionAccounts app={app} sandbox={sandbox} />
    </Section>
  );
}
