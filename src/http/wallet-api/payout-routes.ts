// Bulk payouts: the wallet API's register-item (mPandco contract), the merchant's console JSON
// API (list, show, submit) and the operator's bank file export and bank answer import.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  getPayoutBatch,
  importPayoutBankAnswer,
  listPayoutBatches,
  payoutBankFile,
  registerPayoutItem,
  submitPayoutBatch,
  type PayoutBatchState,
} from '../../modules/payouts/index.ts';
import { requireBearer, requireSession } from '../shared/auth.ts';
import { LIMITS } from '../shared/body.ts';
import { answerCommand, idempotent } from '../shared/idempotency.ts';
import { checkItemFields, registeredItemWire } from './payout-reader.ts';
import { ErrorAnswer } from './auth-routes.ts';
import { WireInteger } from '../shared/numbers.ts';

const Field = (max: number, description?: string) => Type.Optional(Type.String({ maxLength: max, ...(description ? { description } : {}) }));

const ItemForm = Type.Object(
  {
    reference: Field(200, 'Your own reference of the payment'),
    nameAccount: Field(200, 'Name of the account holder'),
    identificationNumber: Field(40, 'V/E/J/G/P + digits, e.g. j54637469'),
    bankAccount: Field(40, '20 digits; the first four are the bank code'),
    amount: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Number()], { description: 'Decimal amount in VES, e.g. "150.75"' })),
  },
  { additionalProperties: true },
);

const RegisterAnswer = Type.Object({
  ref: Type.String({ examples: ['MP19122800001'] }),
  identification_number: Type.String({ examples: ['j54637469'] }),
  status: Type.String({ examples: ['APPROVED'] }),
});

const BATCH_STATES: PayoutBatchState[] = ['pending_upload', 'submitted', 'settled'];
const BatchQuery = Type.Object({
  state: Type.Optional(Type.Union(BATCH_STATES.map((s) => Type.Literal(s)))),
  limit: Type.Optional(WireInteger({ minimum: 1, maximum: 200 })),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** The bank answer arrives as text/csv, a multipart file (`file`), or JSON / form `{csv}`. */
function bankAnswerText(request: FastifyRequest): string {
  if (typeof request.body === 'string') return request.body;
  const upload = request.uploads?.file ?? Object.values(request.uploads ?? {})[0];
  if (upload) return upload.data.toString('utf8');
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (typeof body.csv === 'string') return body.csv;
  throw new ValidationError([{ path: ['csv'], message: 'Envíe la respuesta del banco como text/csv, como archivo `file` (multipart) o en el campo `csv`.' }]);
}

export async function payoutRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  // The bank answer may be posted as a raw CSV body (this scope only).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: LIMITS.bodyBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/api/multipayment/register-item.json',
    {
      // Authentication before body validation: a caller without access learns nothing more.
      preValidation: [
        requireBearer(ctx, 'payouts'),
        // No body at all is an empty form: every field is then reported as missing.
        async (request) => {
          request.body ??= {};
        },
      ],
      preHandler: idempotent(ctx),
      config: { formRoot: 'multi_payment_item' },
      schema: {
        tags: ['wallet API'],
        summary: 'Add a payout item (dispersión) to the batch pending upload',
        description:
          'Body root `multi_payment_item` (multipart, urlencoded or JSON). `type=DISPERSION` settles interbank within 24 h, ' +
          '`type=DISPERSION_INSTANT_INTERBANK` at once. The batch pending upload is opened automatically and submitted from the console.',
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
        querystring: Type.Object(
          { type: Type.Optional(Type.String({ maxLength: 60, description: 'DISPERSION | DISPERSION_INSTANT_INTERBANK' })) },
          { additionalProperties: true },
        ),
        body: Type.Optional(Type.Object({ multi_payment_item: Type.Optional(ItemForm) }, { additionalProperties: true })),
        response: { 200: RegisterAnswer, 400: ErrorAnswer, 401: ErrorAnswer, 403: ErrorAnswer },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      // The contract's root is `multi_payment_item`; a body without it is read as the form itself.
      const form = body.multi_payment_item ?? (body.bankAccount !== undefined || body.amount !== undefined ? body : undefined);
      const { user, app: oauthApp } = request.auth;
      const item = checkItemFields((request.query as { type?: string }).type, form);
      return answerCommand(request, registeredItemWire, (options) => registerPayoutItem(ctx, { userId: user.id, appId: oauthApp.id }, item, options));
    },
  );

  // --- Merchant console ---------------------------------------------------------------
  const session = requireSession(ctx);
  const tags = ['console API'];

  app.get(
    '/console/api/payout-batches',
    { preHandler: session, schema: { tags, summary: 'The merchant’s payout batches (newest first)', querystring: BatchQuery } },
    async (request) => {
      const query = request.query as { state?: PayoutBatchState; limit?: number };
      return { data: await listPayoutBatches(ctx, { ownerUserId: request.session.user.id, state: query.state, limit: query.limit }) };
    },
  );

  app.get(
    '/console/api/payout-batches/:id',
    { preHandler: session, schema: { tags, summary: 'One payout batch with its items', params: IdParams } },
    async (request) => ({
      batch: await getPayoutBatch(ctx, (request.params as { id: string }).id, request.session.user.id),
    }),
  );

  app.post(
    '/console/api/payout-batches/:id/submit',
    { preHandler: session, schema: { tags, summary: 'Submit a batch pending upload: debits the wallet for items + fees', params: IdParams } },
    async (request) => ({ batch: await submitPayoutBatch(ctx, request.session.user.id, (request.params as { id: string }).id) }),
  );

  // --- Operator -----------------------------------------------------------------------
  const operator = requireSession(ctx, { operator: true });

  app.get(
    '/console/api/operator/payout-batches',
    { preHandler: operator, schema: { tags, summary: 'Every merchant’s payout batches (operator)', querystring: BatchQuery } },
    async (request) => {
      const query = request.query as { state?: PayoutBatchState; limit?: number };
      return { data: await listPayoutBatches(ctx, { state: query.state, limit: query.limit }) };
    },
  );

  app.get(
    '/console/api/operator/payout-batches/:id',
    { preHandler: operator, schema: { tags, summary: 'One payout batch with its items (operator)', params: IdParams } },
    async (request) => ({
      batch: await getPayoutBatch(ctx, (request.params as { id: string }).id),
    }),
  );

  app.get(
    '/console/api/operator/payout-batches/:id/bank-file.csv',
    {
      preHandler: operator,
      schema: {
        tags,
        summary: 'Bank file (CSV) of a submitted batch: ref, bank code, account, identification, name, amount, type, reference',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const { filename, csv } = await payoutBankFile(ctx, (request.params as { id: string }).id);
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      reply.header('cache-control', 'no-store');
      return reply.type('text/csv; charset=utf-8').send(csv);
    },
  );

  app.post(
    '/console/api/operator/payout-batches/:id/bank-answer',
    {
      preHandler: operator,
      schema: {
        tags,
        summary: 'Import the bank’s answer (CSV lines `ref,status[,reason]`, status PAID or FAILED): marks items paid or failed; idempotent',
        params: IdParams,
      },
    },
    async (request) => importPayoutBankAnswer(ctx, (request.params as { id: string }).id, bankAnswerText(request)),
  );
}
