import type { EventDeclarations } from '../events/index.ts';

export const PAYMENT_EVENTS = {
  'payment.created': { object: 'payment', summary: 'A payment was recorded (intent execution or transfer).' },
  'payment.updated': { object: 'payment', summary: "A payment's status changed (for example, cancelled by an annulment)." },
} as const satisfies EventDeclarations;
