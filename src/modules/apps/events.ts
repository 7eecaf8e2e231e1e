import type { EventDeclarations } from '../events/index.ts';

export const APP_EVENTS = {
  'application.credentials_renewed': { object: 'application', summary: "The app's keys were renewed; every older key and token stopped working." },
} as const satisfies EventDeclarations;
