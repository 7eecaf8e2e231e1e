// The operations probes in the OpenAPI document (see shared/api-docs.ts). Documentation only.
import { Type } from '@sinclair/typebox';
import { Doc, type FamilyDocs } from '../shared/api-docs.ts';
import { ErrorAnswer } from '../shared/errors.ts';

const { str, obj } = Doc;

export const opsDocs: FamilyDocs = {
  tag: 'operations',
  consumes: [],
  errorShape: ErrorAnswer,
  errorExample: (status) => ({
    code: status,
    message: status === 401 ? 'Se requiere el token de métricas (Authorization: Bearer $METRICS_TOKEN).' : 'Recurso no encontrado.',
  }),
  security: [],
  operations: {
    'GET /healthz': {
      summary: 'Liveness',
      description: 'The process answers. Never waits for the database.',
      answers: { 200: { description: 'Alive.', schema: obj({ status: Type.Literal('ok') }), example: { status: 'ok' } } },
    },
    'GET /readyz': {
      summary: 'Readiness',
      description: 'The database answers; 503 while it does not (take the instance out of rotation).',
      answers: {
        200: {
          description: 'Ready.',
          schema: obj({ status: Type.Literal('ok'), database: str('sqlite or postgres') }),
          example: { status: 'ok', database: 'postgres' },
        },
        503: {
          description: 'The database does not answer.',
          schema: obj({ status: Type.Literal('unavailable'), database: str() }),
          example: { status: 'unavailable', database: 'postgres' },
        },
      },
    },
    'GET /metrics': {
      summary: 'Prometheus metrics',
      description:
        'Requests by route and status, latencies, the outbox backlog. With METRICS_TOKEN set it takes `Authorization: Bearer $METRICS_TOKEN`; without one it is open in sandbox and absent (404) in production.',
      security: [{ metricsToken: [] }, {}],
      answers: {
        200: {
          description: 'The Prometheus text format.',
          contentType: 'text/plain',
          schema: Type.String(),
          example: '# TYPE http_requests_total counter\nhttp_requests_total{method="GET",route="/healthz",status="200"} 3\n',
        },
      },
      errors: [401, 404],
    },
  },
};
