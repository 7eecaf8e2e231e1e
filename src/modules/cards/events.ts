// Events of the card family (/v1/payments). The family is being built; webhook endpoints may
// already subscribe to them.
import type { EventDeclarations } from '../events/index.ts';

export const CARD_EVENTS = {
  'refund.created': { object: 'refund', summary: 'A card payment was refunded (in full or in part).' },
  'refund.updated': { object: 'refund', summary: "A refund's status changed." },
} as const satisfies EventDeclarations;
