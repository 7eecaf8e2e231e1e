// The card family's customers and saved cards (/v1/customers), for the seller behind the
// access token. A saved card is paid with a fresh token (POST /v1/card_tokens with card_id).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import {
  changeCustomer,
  createCustomer,
  customerCard,
  customerCards,
  findCustomers,
  getCustomer,
  removeCustomer,
  removeCustomerCard,
  saveCustomerCard,
} from '../../modules/cards/index.ts';
import { requireBearer } from '../shared/auth.ts';
import { customerCardWire, customerWire } from './presenters.ts';

const tags = ['card API'];
const security = [{ bearer: [] }];

const Phone = Type.Object({ area_code: Type.Optional(Type.String({ maxLength: 10 })), number: Type.Optional(Type.String({ maxLength: 30 })) });
const Identification = Type.Object({ type: Type.Optional(Type.String({ maxLength: 20 })), number: Type.Optional(Type.String({ maxLength: 40 })) });
const fields = {
  first_name: Type.Optional(Type.String({ maxLength: 100 })),
  last_name: Type.Optional(Type.String({ maxLength: 100 })),
  phone: Type.Optional(Phone),
  identification: Type.Optional(Identification),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
};
const Email = Type.String({ format: 'email', maxLength: 256 });
const NewCustomer = Type.Object({ email: Email, ...fields });
const CustomerChange = Type.Object({ email: Type.Optional(Email), default_card: Type.Optional(Type.String({ maxLength: 64 })), ...fields });
const CustomerId = Type.Object({ id: Type.String({ maxLength: 64 }) });
const CardIds = Type.Object({ id: Type.String({ maxLength: 64 }), card_id: Type.String({ maxLength: 64 }) });
const Search = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 256 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});

type CustomerFields = Partial<Static<typeof CustomerChange>>;

function customerInput(body: CustomerFields) {
  return {
    email: body.email,
    firstName: body.first_name,
    lastName: body.last_name,
    phone: body.phone,
    identification: body.identification,
    description: body.description,
    metadata: body.metadata,
  };
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export async function cardCustomerRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const seller = requireBearer(ctx, undefined, { sellerConsent: true });
  const owner = (request: FastifyRequest) => request.auth.user.id;

  app.post('/v1/customers', { preHandler: seller, schema: { tags, summary: 'Create a customer', security, body: NewCustomer } }, async (request, reply) => {
    const body = request.body as Static<typeof NewCustomer>;
    return reply.code(201).send(customerWire(await createCustomer(ctx, owner(request), { ...customerInput(body), email: body.email })));
  });
  app.get(
    '/v1/customers/search',
    { preHandler: seller, schema: { tags, summary: 'Search customers (by email)', security, querystring: Search } },
    async (request) => {
      const q = request.query as Static<typeof Search>;
      const limit = q.limit ?? 10;
      const offset = q.offset ?? 0;
      const { total, customers } = await findCustomers(ctx, owner(request), { email: q.email, limit, offset });
      return { paging: { total, limit, offset }, results: customers.map(customerWire) };
    },
  );
  app.get('/v1/customers/:id', { preHandler: seller, schema: { tags, summary: 'A customer', security, params: CustomerId } }, async (request) =>
    customerWire(await getCustomer(ctx, owner(request), idOf(request))),
  );
  app.put(
    '/v1/customers/:id',
    { preHandler: seller, schema: { tags, summary: 'Change a customer', security, params: CustomerId, body: CustomerChange } },
    async (request) => {
      const body = request.body as Static<typeof CustomerChange>;
      return customerWire(await changeCustomer(ctx, owner(request), idOf(request), { ...customerInput(body), defaultCard: body.default_card }));
    },
  );
  app.delete(
    '/v1/customers/:id',
    { preHandler: seller, schema: { tags, summary: 'Delete a customer and its cards', security, params: CustomerId } },
    async (request) => customerWire(await removeCustomer(ctx, owner(request), idOf(request))),
  );

  app.post(
    '/v1/customers/:id/cards',
    {
      preHandler: seller,
      schema: {
        tags,
        summary: 'Save a tokenized card',
        security,
        params: CustomerId,
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const card = await saveCustomerCard(
        ctx,
        { appId: request.auth.app.id, ownerUserId: owner(request) },
        idOf(request),
        (request.body as { token: string }).token,
      );
      return reply.code(201).send(customerCardWire(card));
    },
  );
  app.get('/v1/customers/:id/cards', { preHandler: seller, schema: { tags, summary: "A customer's cards", security, params: CustomerId } }, async (request) =>
    (await customerCards(ctx, owner(request), idOf(request))).map(customerCardWire),
  );
  app.get('/v1/customers/:id/cards/:card_id', { preHandler: seller, schema: { tags, summary: 'A saved card', security, params: CardIds } }, async (request) =>
    customerCardWire(await customerCard(ctx, owner(request), idOf(request), (request.params as { card_id: string }).card_id)),
  );
  app.delete(
    '/v1/customers/:id/cards/:card_id',
    { preHandler: seller, schema: { tags, summary: 'Delete a saved card', security, params: CardIds } },
    async (request) => customerCardWire(await removeCustomerCard(ctx, owner(request), idOf(request), (request.params as { card_id: string }).card_id)),
  );
}
