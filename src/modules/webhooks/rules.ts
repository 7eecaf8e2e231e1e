// The webhook endpoint form's rules, pure: the server checks them and the web console checks the
// same ones in the browser before sending, so both say the same thing. Where a URL may point
// (its form, private addresses in production) only the server can tell (src/platform/ssrf.ts).
import type { FieldError } from '../../kernel/errors.ts';
import type { RuleLang } from '../../kernel/messages.ts';

export const MAX_EVENT_TYPES = 50;
export const MAX_DESCRIPTION = 200;

export const WEBHOOK_MESSAGES = {
  url: { es: 'La URL es obligatoria.', en: 'The URL is required.' },
  eventTypes: {
    es: 'Indique de 1 a 50 tipos de evento (por ejemplo "payment.created", "payment.*" o "*").',
    en: 'Choose from 1 to 50 event types (for example "payment.created", "payment.*" or "*").',
  },
  eventType: { es: 'Tipo de evento no válido.', en: 'Invalid event type.' },
  description: { es: 'La descripción admite hasta 200 caracteres.', en: 'The description takes up to 200 characters.' },
  // Only the server can tell these; listed so the console can say them in English.
  eventUnknown: { es: 'Tipo de evento desconocido: no corresponde a ningún evento.', en: 'Unknown event type: it matches no event.' },
  notFound: { es: 'Webhook no encontrado.', en: 'Webhook not found.' },
  deliveryNotFound: { es: 'Entrega no encontrada.', en: 'Delivery not found.' },
} as const satisfies Record<string, Record<RuleLang, string>>;

const TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*))$/;

/** "payment.created", "payment.*" or "*" — in form; whether it names an event is isKnownEventPattern (model.ts). */
export function isEventTypePattern(value: string): boolean {
  return value.length <= 100 && TYPE_PATTERN.test(value);
}

/** Does a subscription list ("payment.created", "payment.*", "*") include this event type? */
export function subscribes(patterns: readonly string[], eventType: string): boolean {
  for (const p of patterns) {
    if (p === '*' || p === eventType) return true;
    if (p.endsWith('.*') && eventType.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}

/** What the endpoint form asks for, before the server looks at where the URL points. */
export function endpointFormProblems(input: { url: string; eventTypes: readonly string[]; description: string }, lang: RuleLang = 'es'): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.url.trim()) errors.push({ path: ['url'], message: WEBHOOK_MESSAGES.url[lang], code: 'webhooks.url' });
  if (input.eventTypes.length === 0 || input.eventTypes.length > MAX_EVENT_TYPES)
    errors.push({ path: ['eventTypes'], message: WEBHOOK_MESSAGES.eventTypes[lang], code: 'webhooks.eventTypes' });
  if (input.description.length > MAX_DESCRIPTION)
    errors.push({ path: ['description'], message: WEBHOOK_MESSAGES.description[lang], code: 'webhooks.description' });
  return errors;
}
