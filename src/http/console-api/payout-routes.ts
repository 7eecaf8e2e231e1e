// Bulk payouts in the console: the merchant's batches (CSV upload, list, show, submit) and the
// operator's bank file export and bank answer import. Items are also registered one at a time
// through the wallet API (wallet-api/payout-routes.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { APP_MESSAGES, getOwnedApp, hasPermission } from '../../modules/apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  getPayoutBatch,
  importPayoutBankAnswer,
  listPayoutBatches,
  payoutBankFile,
  readPayoutCsv,
  repeatedReference,
  type BulkRegistration,
  registerPayoutItems,
  submitPayoutBatch,
  type UploadReading,
  type PayoutBatchState,
} from '../../modules/payouts/index.ts';
import { permissionNotEnabled, requireSession } from '../shared/auth.ts';
import { answerCommand, idempotent } from '../shared/idempotency.ts';
import { LIMITS } from '../shared/body.ts';
import { WireInteger } from '../shared/numbers.ts';

const BATCH_STATES: PayoutBatchState[] = ['pending_upload', 'submitted', 'settled'];
const BatchQuery = Type.Object({
  state: Type.Optional(Type.Union(BATCH_STATES.map((s) => Type.Literal(s)))),
  limit: Type.Optional(WireInteger({ minimum: 1, maximum: 200 })),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const UploadQuery = Type.Object({ appId: Type.String({ minLength: 1, maxLength: 100 }) });

/** A CSV arrives as text/csv, a multipart file (`file`), or JSON / form `{csv}`. */
function csvText(request: FastifyRequest, what: string): string {
  if (typeof request.body === 'string') return request.body;
  const upload = request.uploads?.file ?? Object.values(request.uploads ?? {})[0];
  if (upload) return upload.data.toString('utf8');
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (typeof body.csv === 'string') return body.csv;
  throw new ValidationError([
    { path: ['csv'], message: `Envíe ${what} como text/csv, como archivo \`file\` (multipart) o en el campo \`csv\`.`, code: 'payouts.csvMissing' },
  ]);
}

/** What the upload answers: the lines registered and each problem of the others. */
function uploadWire(reading: UploadReading, { items, alreadyPending }: BulkRegistration) {
  const pending = new Set(alreadyPending);
  const column = reading.referenceColumn;
  const repeated = reading.items.flatMap((item, i) => (pending.has(item.reference) ? [repeatedReference(reading.itemLines[i]!, column)] : []));
  const errors = [...reading.problems, ...repeated].sort((a, b) => a.line - b.line);
  return {
    batchId: items[0]?.batch_id ?? null,
    rows: reading.rows,
    accepted: items.length,
    rejected: new Set(errors.map((p) => p.line)).size,
    errors,
  };
}

export async function consolePayoutRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  // The bank answer may be posted as a raw CSV body (this scope only).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: LIMITS.bodyBytes }, (_request, body, done) => done(null, body));

  // --- Merchant console ---------------------------------------------------------------
  const session = requireSession(ctx);
  const tags = ['console API'];

  app.get(
    '/console/api/payout-batches',
    { onRequest: session, schema: { tags, summary: 'The merchant’s payout batches (newest first)', querystring: BatchQuery } },
    async (request) => {
      const query = request.query as { state?: PayoutBatchState; limit?: number };
      return { data: await listPayoutBatches(ctx, { ownerUserId: request.session.user.id, state: query.state, limit: query.limit }) };
    },
  );

  app.get(
    '/console/api/payout-batches/:id',
    { onRequest: session, schema: { tags, summary: 'One payout batch with its items', params: IdParams } },
    async (request) => ({
      batch: await getPayoutBatch(ctx, (request.params as { id: string }).id, request.session.user.id),
    }),
  );

  app.post(
    '/console/api/payout-batches/upload',
    {
      onRequest: session,
      preHandler: idempotent(ctx),
      schema: { tags, summary: 'Upload a CSV of payout items into the batch pending upload; each bad line is answered', querystring: UploadQuery },
    },
    async (request) => {
      const userId = request.session.user.id;
      // The items are the app's, as if it had registered them through the wallet API.
      const owned = await getOwnedApp(ctx.store.db, userId, (request.query as { appId: string }).appId);
      if (!hasPermission({ ...owned, logo_png: null }, 'payouts')) throw permissionNotEnabled('payouts');
      if (owned.ready !== 1) throw new ForbiddenError(APP_MESSAGES.notActive.es, 'apps.notActive');
      const reading = readPayoutCsv(csvText(request, 'el archivo de pagos'));
      if (reading.items.length === 0) return uploadWire(reading, { items: [], alreadyPending: [] });
      return answerCommand(
        request,
        (registered: BulkRegistration) => uploadWire(reading, registered),
        (options) => registerPayoutItems(ctx, { userId, appId: owned.id }, reading.items, options),
      );
    },
  );

  app.post(
    '/console/api/payout-batches/:id/submit',
    { onRequest: session, schema: { tags, summary: 'Submit a batch pending upload: debits the wallet for items + fees', params: IdParams } },
    async (request) => ({ batch: await submitPayoutBatch(ctx, request.session.user.id, (request.params as { id: string }).id) }),
  );

  // --- Operator -----------------------------------------------------------------------
  const operator = requireSession(ctx, { operator: true });

  app.get(
    '/console/api/operator/payout-batches',
    { onRequest: operator, schema: { tags, summary: 'Every merchant’s payout batches (operator)', querystring: BatchQuery } },
    async (request) => {
      const query = request.query as { state?: PayoutBatchState; limit?: number };
      return { data: await listPayoutBatches(ctx, { state: query.state, limit: query.limit }) };
    },
  );

  app.get(
    '/console/api/operator/payout-batches/:id',
    { onRequest: operator, schema: { tags, summary: 'One payout batch with its items (operator)', params: IdParams } },
    async (request) => ({
      batch: await getPayoutBatch(ctx, (request.params as { id: string }).id),
    }),
  );

  app.get(
    '/console/api/operator/payout-batches/:id/bank-file.csv',
    {
      onRequest: operator,
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
      onRequest: operator,
      schema: {
        tags,
        summary: 'Import the bank’s answer (CSV lines `ref,status[,reason]`, status PAID or FAILED): marks items paid or failed; idempotent',
        params: IdParams,
      },
    },
    async (request) => importPayoutBankAnswer(ctx, (request.params as { id: string }).id, csvText(request, 'la respuesta del banco')),
  );
}
