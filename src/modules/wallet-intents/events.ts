import type { EventDeclarations } from '../events/index.ts';

export const WALLET_INTENT_EVENTS = {
  'payment_intent.created': { object: 'payment_intent', summary: 'A payment intent (sale or billing request) was created.' },
  'payment_intent.approved': { object: 'payment_intent', summary: 'The buyer approved a sale on the hosted checkout.' },
  'payment_intent.rejected': { object: 'payment_intent', summary: 'The buyer cancelled (rejected) the intent.' },
  'payment_intent.executed': { object: 'payment_intent', summary: 'The intent was executed: the money moved.' },
  'payment_intent.annulled': { object: 'payment_intent', summary: 'An executed intent was annulled within 24 h; every posting was reversed.' },
  'payment_intent.expired': { object: 'payment_intent', summary: 'The intent was not executed in time.' },
} as const satisfies EventDeclarations;
