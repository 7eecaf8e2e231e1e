// Every wire family's docs, in the order the reference lists them.
import type { FamilyDocs } from '../shared/api-docs.ts';
import { walletDocs, walletTokenDocs } from '../wallet-api/docs.ts';
import { cardDocs } from '../card-api/docs.ts';
import { pointDocs } from '../point-api/docs.ts';
import { pointIntentDocs } from '../point-api/intent-docs.ts';
import { pointDeviceDocs } from '../point-api/device-docs.ts';
import { appEventDocs, consoleDocs } from '../console-api/docs.ts';
import { sandboxDocs } from '../sandbox/docs.ts';
import { opsDocs } from '../ops/docs.ts';

export const API_FAMILIES: FamilyDocs[] = [
  walletTokenDocs,
  walletDocs,
  cardDocs,
  pointDocs,
  pointIntentDocs,
  pointDeviceDocs,
  consoleDocs,
  appEventDocs,
  sandboxDocs,
  opsDocs,
];
