// The client: an API context (environment, base URL, keys) and one object per resource, as
// stripe-node's `new Stripe(key)` — `pasarela.paymentIntents.create(…)`.
import { apiContext, type Environment, type PasarelaOptions } from './config.ts';
import { Payments } from './resources/payments.ts';
import { PaymentIntents } from './resources/payment-intents.ts';
import { Payouts } from './resources/payouts.ts';
import { Profile } from './resources/profile.ts';
import { Sandbox } from './resources/sandbox.ts';
import { TokenManager } from './tokens.ts';
import { Transport } from './transport.ts';
import { webhooks } from './webhooks.ts';

export class Pasarela {
  /** Verifying notifications needs no client: `Pasarela.webhooks.constructEvent(…)` works too. */
  static readonly webhooks = webhooks;
  readonly webhooks = webhooks;

  readonly environment: Environment;
  readonly baseUrl: string;
  readonly paymentIntents: PaymentIntents;
  readonly payments: Payments;
  readonly payouts: Payouts;
  readonly profile: Profile;
  /** Sandbox deployments only (the server answers 404 in production). */
  readonly sandbox: Sandbox;

  constructor(options: PasarelaOptions) {
    const context = apiContext(options);
    const transport = new Transport(context);
    transport.tokens = new TokenManager(context, transport);
    this.environment = context.environment;
    this.baseUrl = context.baseUrl;
    this.paymentIntents = new PaymentIntents(transport);
    this.payments = new Payments(transport);
    this.payouts = new Payouts(transport);
    this.profile = new Profile(transport);
    this.sandbox = new Sandbox(transport);
  }
}
