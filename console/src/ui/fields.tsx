// Form fields: a label, an optional hint, the control and its error, wired for screen readers
// (aria-describedby, aria-invalid).
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrame {
  label: string;
  hint?: ReactNode;
  error?: string;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Frame({ id, label, hint, error, children }: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, hint, error, action, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement> & { action?: ReactNode }) {
  const id = useId();
  const control = <input id={id} type="text" {...input} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} />;
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      {action ? (
        <div className="input-with-action">
          {control}
          {action}
        </div>
      ) : (
        control
      )}
    </Frame>
  );
}

/** The 4-digit operations PIN: hidden, numeric keypad, never autofilled (a new PIN may say so). */
export function PinField(props: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  return <TextField type="password" inputMode="numeric" autoComplete="off" maxLength={4} className="pin-input" {...props} />;
}

export function TextArea({ label, hint, error, ...input }: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} {...input} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} />
    </Frame>
  );
}

export function SelectField({ label, hint, error, children, ...select }: FieldFrame & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <select id={id} {...select} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)}>
        {children}
      </select>
    </Frame>
  );
}
