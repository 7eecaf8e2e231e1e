// The POS (Point) messages in both languages, pure: the server answers in Spanish and names each
// one's code ("point.deviceNotFound") beside it, so a client such as the web console can say it
// in English.
import type { RuleLang } from '../../kernel/messages.ts';

export const POINT_MESSAGES = {
  storeNotFound: { es: 'La tienda no existe.', en: 'The store does not exist.' },
  tillNotFound: { es: 'La caja no existe.', en: 'The till does not exist.' },
  tillTaken: { es: 'Ya existe una caja con este external_pos_id.', en: 'A till with this external_pos_id already exists.' },
  deviceModel: { es: 'El modelo admite mayúsculas, dígitos y _ (p. ej. PAX_A910).', en: 'The model takes capital letters, digits and _ (e.g. PAX_A910).' },
  deviceNotFound: { es: 'El terminal no existe o no está vinculado a esta cuenta.', en: 'The terminal does not exist or is not linked to this account.' },
  intentNotFound: { es: 'La intención de pago no existe.', en: 'The payment intent does not exist.' },
  intentNotOnDevice: { es: 'La intención de pago no existe en este terminal.', en: 'The payment intent does not exist on this terminal.' },
  integratorWebhookFirst: {
    es: 'Primero registre el webhook del integrador (PATCH /point/integration-api/integrators).',
    en: 'Register the integrator’s webhook first (PATCH /point/integration-api/integrators).',
  },
  integratorWebhookCheck: {
    es: 'El webhook no respondió correctamente; responda 200 a la verificación y vuelva a intentarlo.',
    en: 'The webhook did not answer correctly: answer 200 to the check and try again.',
  },
} as const satisfies Record<string, Record<RuleLang, string>>;
