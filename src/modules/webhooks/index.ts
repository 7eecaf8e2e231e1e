// The webhooks capability: what the rest of Pasarela uses (HTTP routes, the CLI, the worker,
// the Point module, tests). Import from here, not from the files behind it.
export { Dispatcher, type ClaimedDelivery } from './dispatch.ts';
export { targetsFor } from './fan-out.ts';
export {
  MAX_ENDPOINTS_PER_APP,
  checkWebhookUrl,
  createEndpoint,
  deleteEndpoint,
  endpointView,
  getEndpoint,
  integratorEndpoint,
  listEndpoints,
  markIntegratorVerified,
  rotateEndpointSecret,
  saveIntegratorUrl,
  updateEndpoint,
  type EndpointInput,
} from './endpoints.ts';
export { attemptView, deliveryView, getDelivery, listDeliveries, replayDelivery, replayFailed, type DeliveryFilter } from './deliveries.ts';
export { appNotificationSecret, notificationSecretStatus, rotateNotificationSecret } from './notification-secret.ts';
export { pruneFinishedAttempts, pruneFinishedDeliveries } from './retention.ts';
export {
  STREAM_POLL_MS,
  STREAM_RESUME_WINDOW_MS,
  eventStreamStart,
  eventView,
  listEvents,
  onStreamTick,
  recentEvents,
  sequenceEvents,
  streamEventsAfter,
  type EventView,
  type StreamTick,
} from './event-stream.ts';
export { findTriggerApp, triggerEvent, type TriggerOptions } from './samples.ts';
export { sendNotification, signedHeaders, USER_AGENT, type SendInput, type SendResult } from './sender.ts';
export { webhookSettings, type WebhookSettings } from './settings.ts';
export * from './model.ts';
export * from './signature.ts';
export type { AttemptRow, DeliveryRow, EndpointRow } from './repo.ts';
