// Copy a value to the clipboard, and say so (or say how to do it by hand).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './button.tsx';

export function CopyButton({ value, what }: { value: string; what: string }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setNote(t('apps.copied', { what }));
    } catch {
      setNote(t('apps.copyFailed'));
    }
  };
  return (
    <>
      <Button variant="secondary" small onClick={() => void copy()} aria-label={t('apps.copyLabel', { what })}>
        {t('apps.copy')}
      </Button>
      <span className="visually-hidden" role="status">
        {note}
      </span>
    </>
  );
}
