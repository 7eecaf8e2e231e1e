// The webhooks' operations in the OpenAPI document: an app's endpoints, deliveries and events
// in the console, and the app's own event feed (see docs-schemas.ts for the shapes).
import { Type } from '@sinclair/typebox';
import { Doc, Empty, FORM_ENCODINGS, type FamilyDocs, type OperationDoc } from '../shared/api-docs.ts';
import { ErrorAnswer } from '../shared/errors.ts';
import { Delivery, Endpoint, Event, consoleErrorExample, created, endpointExample, eventExample, json, ok, webhook } from './docs-schemas.ts';

const { str, int, bool, nullable, obj, instant } = Doc;

export const consoleWebhookOperations: Record<string, OperationDoc> = {
  'GET /console/api/apps/:id/webhooks': webhook({
    summary: 'The app’s webhook endpoints',
    description: 'Every endpoint of the app (secrets are not shown again).',
    answers: ok('The endpoints.', Doc.data(Endpoint), { data: [endpointExample] }),
  }),
  'POST /console/api/apps/:id/webhooks': webhook({
    summary: 'Add a webhook endpoint',
    description: 'An HTTPS URL and the event types it receives (patterns such as `payment.*` must match some type). Its signing secret is in this answer only.',
    answers: created('The endpoint and its secret.', obj({ endpoint: Endpoint, secret: str() }), {
      endpoint: endpointExample,
      secret: 'whsec_b7c0a2c90e911ca192bf4013f0774c3b5a7bd12ffb235c11',
    }),
    bodyExample: { url: 'https://tienda.example.com/webhooks/pasarela', eventTypes: ['payment.*'] },
    errors: [409],
  }),
  'GET /console/api/apps/:id/webhooks/:webhookId': webhook({
    summary: 'One webhook endpoint',
    description: 'The endpoint’s settings and failure flag.',
    answers: ok('The endpoint.', obj({ endpoint: Endpoint }), { endpoint: endpointExample }),
  }),
  'PATCH /console/api/apps/:id/webhooks/:webhookId': webhook({
    summary: 'Change a webhook endpoint',
    description: 'URL, event types, description or enabled (enabling clears the failure flag).',
    answers: ok('The endpoint.', obj({ endpoint: Endpoint }), { endpoint: endpointExample }),
    bodyExample: { enabled: true },
  }),
  'DELETE /console/api/apps/:id/webhooks/:webhookId': webhook({
    summary: 'Delete a webhook endpoint',
    description: 'It receives nothing more.',
    answers: { 204: Empty },
  }),
  'POST /console/api/apps/:id/webhooks/:webhookId/secret': webhook({
    summary: 'Rotate the signing secret',
    description: 'The new secret is in this answer only; the old one stops signing at once.',
    answers: ok('The new secret.', obj({ secret: str() }), { secret: 'whsec_8698b23810311331bf80f08aaa8764ae01e48653052748dc' }),
  }),
  'POST /console/api/apps/:id/webhooks/:webhookId/replay-failed': webhook({
    summary: 'Send every failed delivery again',
    description: 'Each failed delivery of this endpoint gets a fresh retry schedule.',
    answers: ok('How many were queued.', obj({ replayed: int() }), { replayed: 3 }),
  }),
  'GET /console/api/apps/:id/webhook-deliveries': webhook({
    summary: 'Deliveries of the app’s events',
    description:
      'Newest first; filter by endpoint, event or status. Up to `limit` (50 by default, 200 at most) per page; `nextCursor` (null on the last page) passed as `cursor` asks for the next, older page with the same filters.',
    answers: ok('A page of deliveries.', obj({ data: Type.Array(Delivery), nextCursor: nullable(str()) })),
  }),
  'GET /console/api/apps/:id/webhook-deliveries/:deliveryId': webhook({
    summary: 'A delivery and every attempt',
    description: 'Each attempt’s time, status, latency and the first KB of the answer.',
    answers: ok('The delivery.', obj({ delivery: Delivery })),
  }),
  'POST /console/api/apps/:id/webhook-deliveries/:deliveryId/replay': webhook({
    summary: 'Send this delivery again now',
    description: 'A fresh retry schedule; the attempt runs in the background.',
    answers: { 202: json('Queued.', obj({ delivery: Delivery })) },
    errors: [409],
  }),
  'GET /console/api/apps/:id/notification-secret': webhook({
    summary: 'Whether the app has a notification secret',
    description: 'The secret signs the notification_url calls and the Point webhooks.',
    answers: ok('Its state.', obj({ exists: bool(), createdAt: nullable(instant()) }), { exists: false, createdAt: null }),
  }),
  'POST /console/api/apps/:id/notification-secret': webhook({
    summary: 'New notification secret',
    description: 'In this answer only; replaces the old one.',
    answers: ok('The secret.', obj({ secret: str() }), { secret: 'whsec_b86e5a78e5735bafa75d155854cbb0fe96939aba7d9ba011' }),
  }),
  'GET /console/api/apps/:id/events': webhook({
    summary: 'The app’s recent events',
    description: 'Newest first; filter by `type`, up to `limit` (200).',
    answers: ok('The events.', Doc.data(Event), { data: [eventExample] }),
  }),
};

/** The app’s own event feed, with its bearer token. */
export const appEventDocs: FamilyDocs = {
  tag: 'webhooks',
  consumes: FORM_ENCODINGS,
  errorShape: ErrorAnswer,
  errorExample: consoleErrorExample,
  security: [{ bearer: [] }],
  operations: {
    'GET /webhooks/events': {
      summary: 'The app’s recent events (bearer token)',
      description: 'What the webhooks of the app would receive, newest first, up to `limit` (200).',
      answers: ok('The events.', Doc.data(Event), { data: [eventExample] }),
    },
    'GET /webhooks/events/stream': {
      summary: 'Server-sent events of the app',
      description: 'Each new event of the app with its notification, as `text/event-stream` (what `pasarela listen` forwards). The stream stays open.',
      answers: {
        200: {
          description: 'An event stream.',
          contentType: 'text/event-stream',
          schema: Type.String(),
          example: 'event: payment.created\ndata: {"id":"evt_01a247b9","type":"payment.created"}\n\n',
        },
      },
    },
  },
};
