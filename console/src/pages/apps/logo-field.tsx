// The logo picker: a button that opens the file chooser (so its text follows the console's
// language, not the browser's), the chosen file's name and a preview. The native input stays in
// the page, hidden, and is what the form reads.
import { useId, useRef } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button.tsx';

interface LogoFieldProps {
  preview?: string;
  fileName?: string;
  error?: string;
  registration: UseFormRegisterReturn;
}

export function LogoField({ preview, fileName, error, registration }: LogoFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement | null>(null);
  const describedBy = [`${id}-hint`, `${id}-file`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <span className="label" id={`${id}-label`}>
        {t('apps.logo')}
      </span>
      <p className="hint" id={`${id}-hint`}>
        {t('apps.logoHint')}
      </p>
      <div className="logo-picker">
        {preview ? <img className="logo-preview" src={preview} alt={t('apps.logoPreview')} /> : <span className="logo-preview">{t('apps.noLogo')}</span>}
        <Button
          variant="secondary"
          id={`${id}-button`}
          aria-labelledby={`${id}-label ${id}-button`}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          onClick={() => input.current?.click()}
        >
          {t('apps.chooseLogo')}
        </Button>
        <span className="small muted" id={`${id}-file`}>
          {fileName ?? ''}
        </span>
        <input
          type="file"
          accept="image/png"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="logo-input"
          {...registration}
          ref={(element) => {
            registration.ref(element);
            input.current = element;
          }}
        />
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
