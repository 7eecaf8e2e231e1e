// The Point (POS) capability: what the rest of Pasarela uses. The integrator webhook, terminals
// with their stores and tills, payment intents (integrator side) and what a terminal does.
export { checkIntegratorWebhook, integratorWebhookView, setIntegratorWebhook } from './integrator-webhook.ts';
export {
  OPERATING_MODES,
  type AdditionalInfo,
  type OperatingMode,
  type PointDevice,
  type PointIntent,
  type PointIntentEvent,
  type PointIntentState,
} from './model.ts';
export {
  activateTerminal,
  authenticateTerminal,
  changeOperatingMode,
  createStore,
  createTill,
  findDeviceView,
  linkTerminal,
  listDevices,
  PAIRING_TTL_MS,
  registerTerminal,
  storesAndTills,
  unlinkTerminal,
  type Activation,
  type Registration,
} from './devices.ts';
export { cancelPointIntent, createPointIntent, getPointIntent, pointEventsBetween, pointIntentEvents, type PointIntentInput } from './intents.ts';
export { confirmIntent, nextIntentFor, payIntent, readCard, takeIntent, terminalIntentView } from './terminal.ts';
export { abandonDueIntents } from './abandon.ts';
export type { DeviceRow as TerminalRow, StoreRow as PointStoreRow, TillRow as PointTillRow } from './repo.ts';
export { processAsCashier } from './cashier.ts';
export { ensureDemoTerminal } from './demo.ts';
