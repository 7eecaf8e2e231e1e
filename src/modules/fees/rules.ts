// The fee form's messages in both languages, pure: the server answers in Spanish and names each
// one's code ("fees.percent"), so the operator's console says it in English when English is on.
import { FEE_OPERATIONS } from './model.ts';
import type { RuleLang } from '../../kernel/messages.ts';

export const FEE_MESSAGES = {
  operation: { es: `La operación debe ser una de: ${FEE_OPERATIONS.join(', ')}.`, en: `The operation must be one of: ${FEE_OPERATIONS.join(', ')}.` },
  percent: { es: 'El porcentaje no puede superar 100.', en: 'The percentage cannot be over 100.' },
} as const satisfies Record<string, Record<RuleLang, string>>;
