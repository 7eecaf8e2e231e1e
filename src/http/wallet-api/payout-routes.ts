// Bulk payouts on the wallet API: register-item (mPandco contract). The merchant's and the
// operator's batch routes are the console's (console-api/payout-routes.ts).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { registerPayoutItem } from '../../modules/payouts/index.ts';
import { requireBearer } from '../shared/auth.ts';
import { answerCommand, idempotent } from '../shared/idempotency.ts';
import { checkItemFields, registeredItemWire } from './payout-reader.ts';
import { ErrorAnswer } from './auth-routes.ts';

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

export async function payoutRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
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
}
