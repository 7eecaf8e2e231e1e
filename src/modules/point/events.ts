// Events of the POS family (Point integration API). The family is being built; its integrator
// webhook already delivers these in the Point notification shape.
import type { EventDeclarations } from '../events/index.ts';

export const POINT_EVENTS = {
  'point_intent.created': { object: 'point_intent', summary: 'A payment intent was sent to a POS terminal.' },
  'point_intent.updated': { object: 'point_intent', summary: "A POS payment intent's state changed." },
} as const satisfies EventDeclarations;
