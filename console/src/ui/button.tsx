// Buttons: one look per intent, and a busy state that shows progress and blocks double sends.
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Link, type LinkProps } from 'react-router';

type Variant = 'primary' | 'secondary' | 'danger' | 'link';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  small?: boolean;
  block?: boolean;
  /** While true: a spinner, `busyLabel` as the text, and no second click. */
  busy?: boolean;
  busyLabel?: string;
  children: ReactNode;
}

export function classes(variant: Variant, small?: boolean, block?: boolean): string {
  return ['btn', `btn-${variant}`, small ? 'btn-small' : '', block ? 'btn-block' : ''].filter(Boolean).join(' ');
}

export function Button({ variant = 'primary', small, block, busy, busyLabel, children, type = 'button', disabled, ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} className={classes(variant, small, block)} disabled={disabled || busy} aria-busy={busy || undefined}>
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}

export function ButtonLink({ variant = 'primary', small, children, ...rest }: LinkProps & { variant?: Variant; small?: boolean }) {
  return (
    <Link {...rest} className={classes(variant, small)}>
      {children}
    </Link>
  );
}
