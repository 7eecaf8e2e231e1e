// The Point integration API in the OpenAPI document (see shared/api-docs.ts). Documentation only.
import { Doc, FORM_ENCODINGS, type FamilyDocs } from '../shared/api-docs.ts';
import { CardError, cardErrorExample } from '../card-api/docs.ts';

const { str, bool, nullable, obj } = Doc;

export const pointDocs: FamilyDocs = {
  tag: 'Point',
  consumes: FORM_ENCODINGS,
  errorShape: CardError,
  errorExample: cardErrorExample,
  security: [{ bearer: [] }],
  operations: {
    'PATCH /point/integration-api/integrators': {
      summary: 'Set the integrator webhook',
      description: 'The URL that receives the app’s Point notifications. It receives nothing until a check (`POST …/check`) succeeds.',
      answers: { 204: { description: 'Saved, not yet verified.' } },
      bodyExample: { webhook: 'https://tienda.example.com/point/webhook' },
    },
    'GET /point/integration-api/integrators': {
      summary: 'The integrator webhook',
      description: 'Its URL, whether a check verified it, and whether it was flagged after failures.',
      answers: {
        200: {
          description: 'The webhook.',
          schema: obj({ webhook: nullable(str()), verified: bool(), flagged: bool() }),
          example: { webhook: 'https://tienda.example.com/point/webhook', verified: true, flagged: false },
        },
      },
    },
    'POST /point/integration-api/integrators/check': {
      summary: 'Verify the integrator webhook',
      description: 'Sends a signed check (notification secret) to the webhook; 204 once it answered 2xx, and it is verified from then on.',
      answers: { 204: { description: 'The webhook answered 2xx: verified.' } },
      errors: [409],
    },
  },
};
