// A modal dialog that asks for the operations PIN before an operation (pay, decline): the PIN
// checked in the browser with the server's rule, the server's answer on the field or above it.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { pinProblems } from '../../../src/modules/identity/rules.ts';
import { currentLang } from '../i18n.ts';
import { ApiError } from '../lib/api.ts';
import { rulesResolver, showServerErrors } from '../lib/forms.ts';
import { describeError } from '../lib/messages.ts';
import { Button } from './button.tsx';
import { Alert } from './feedback.tsx';
import { PinField } from './fields.tsx';

interface PinDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  danger?: boolean;
  /** Runs the operation with the PIN; a rejection is shown in the dialog. */
  onConfirm: (pin: string) => Promise<unknown>;
  onClose: () => void;
}

export function PinDialog({ open, title, children, confirmLabel, busyLabel, danger, onConfirm, onClose }: PinDialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const form = useForm<{ pin: string }>({ defaultValues: { pin: '' }, resolver: rulesResolver((v) => pinProblems(v.pin, currentLang())) });
  const { errors, isSubmitting } = form.formState;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      form.reset({ pin: '' });
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, form]);

  const submit = form.handleSubmit(async ({ pin }) => {
    try {
      await onConfirm(pin);
    } catch (error) {
      // A wrong PIN lands on the field; anything else (locked PIN, no funds, gone) above it.
      const onField = showServerErrors(error, form.setError, ['pin']);
      if (!onField || (error instanceof ApiError && error.general.length)) form.setError('root', { type: 'server', message: describeError(error, t) });
    }
  });

  return (
    <dialog ref={ref} className="dialog pin-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>{title}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div>{children}</div>
        {errors.root?.message ? <Alert tone="error">{errors.root.message}</Alert> : null}
        <PinField label={t('wallet.pin')} hint={t('wallet.pinHint')} error={errors.pin?.message} {...form.register('pin')} />
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose} disabled={isSubmitting}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={isSubmitting} busyLabel={busyLabel}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
