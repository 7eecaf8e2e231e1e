// The Point (POS) capability: what the rest of Pasarela uses. So far the integrator webhook.
export { checkIntegratorWebhook, integratorWebhookView, setIntegratorWebhook } from './integrator-webhook.ts';
