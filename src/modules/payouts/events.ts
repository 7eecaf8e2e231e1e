import type { EventDeclarations } from '../events/index.ts';

export const PAYOUT_EVENTS = {
  'payout_item.created': { object: 'payout_item', summary: 'A payout item was registered in the batch pending upload.' },
  'payout_item.updated': {
    object: 'payout_item',
    summary: "A payout item's status changed (PROCESSING, PAID, FAILED); the payload carries status and previous_status.",
  },
} as const satisfies EventDeclarations;
