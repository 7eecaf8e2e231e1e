// The wallet family's presenters: module models → the contract's objects (snake_case,
// amounts as JSON numbers or decimal strings, numeric payment status codes).
import { assertNever } from '../../kernel/errors.ts';
import { amountAsJsonNumber, formatAmount, type Currency } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import { intentSummary, type Intent } from '../../modules/wallet-intents/index.ts';
import type { PaymentState, PaymentView } from '../../modules/payments/index.ts';
import { iso } from '../../kernel/instants.ts';

/** The contract's payment `type` (every wallet payment is a digital-account payment). */
const PAYMENT_TYPE = 1000;

/** The contract's payment status codes. */
export function paymentStatusCode(state: PaymentState): 2000 | 4000 | 9000 {
  switch (state) {
    case 'canceled':
      return 2000;
    case 'waiting':
      return 4000;
    case 'finished':
      return 9000;
    default:
      return assertNever(state, 'payment state');
  }
}

function money(minor: number, currency: Currency) {
  return amountAsJsonNumber(minor, currency);
}

/**
 * The contract's PaymentIntent object. In a list (`summary`) it leaves out what only `show`
 * needs — each transaction's items and distributions and the return-URL call history — so a
 * page of 100 stays within INTENT_PAGE_BUDGET_BYTES; `_links.self` has it all.
 */
export function intentWire(ctx: Ctx, intent: Intent, options: { summary?: boolean } = {}) {
  const full = !options.summary;
  const { row } = intent;
  const currency = row.currency as Currency;
  const base = ctx.config.publicUrl;
  const summary = intentSummary(intent.transactions);
  const cur = { id: currency };
  const out: Record<string, unknown> = {
    id: row.id,
    intent: row.intent,
    state: intent.state,
  };
  if (intent.payer) out.payer = { payer_info: { id: intent.payer.id, _data: { fullname: intent.payer.name } } };
  out.redirect_urls = {
    return_url: row.return_url,
    cancel_url: row.cancel_url,
    ...(full
      ? { history_responses: intent.historyResponses.map((h) => ({ uri: h.uri, method: h.method, status_code: h.statusCode, body: h.body ?? h.error ?? '' })) }
      : {}),
  };
  out.total = {
    currency: cur,
    items: money(summary.itemsMinor, currency),
    shipping: money(summary.shippingMinor, currency),
    tax: money(summary.taxMinor, currency),
    amount: money(summary.amountMinor, currency),
  };
  out.transactions = intent.transactions.map((t) => ({
    id: t.id,
    amount: {
      currency: cur,
      total: money(t.totalMinor, currency),
      details: {
        shipping: money(t.details.shippingMinor, currency),
        tax: money(t.details.taxMinor, currency),
        sub_total: money(t.details.subTotalMinor, currency),
      },
    },
    ...(full
      ? { items: t.items.map((i) => ({ name: i.name, quantity: i.quantity, currency: { id: i.currency }, sku: i.sku, price: money(i.priceMinor, currency) })) }
      : {}),
    description: t.description,
    invoice_number: t.invoiceNumber,
    ...(intent.payment ? { related_resources: { [row.intent]: { id: intent.payment.id, ref: intent.payment.ref } } } : {}),
    ...(full
      ? {
          distributions: t.distributions.map((d) => ({
            digital_account_destination: d.destination,
            amount: money(d.amountMinor, currency),
            description: d.description,
          })),
        }
      : {}),
  }));
  if (row.intent === 'request') out.pay_tokens = intent.payTokens.map((p) => ({ id: p.id, _data: { name: p.name } }));
  out.created_at = iso(row.created_at);
  out.expires_at = iso(row.expires_at);
  const links: Record<string, { href: string; method: string }> = {
    self: { href: `${base}/api/payment-intent/show.json?id=${row.id}`, method: 'GET' },
    execute: { href: `${base}/api/payment-intent/execute/${row.intent}.json?id=${row.id}`, method: 'POST' },
  };
  if (row.intent === 'sale') links.approval_url = { href: `${base}/p/express-checkout/${row.id}/1`, method: 'GET' };
  links.cancel = { href: `${base}/api/payment-intent/cancel.json`, method: 'POST' };
  out._links = links;
  return out;
}

function timestamp(ms: number): string {
  return iso(ms).replace('T', ' ').slice(0, 19);
}

/** The contract's Payment object (`/api/payment/find.json`). */
export function paymentWire(view: PaymentView) {
  const { row, payer, recipient, source } = view;
  const currency = row.currency as Currency;
  const amount = formatAmount(row.amount_minor, currency);
  return {
    id: row.id,
    created_at: timestamp(row.created_at),
    amount_total: amount,
    ref: row.ref,
    user: { id: payer.id, _data: { fullname: payer.name } },
    status: paymentStatusCode(row.state),
    type: PAYMENT_TYPE,
    recipient: { id: recipient.id, _data: { fullname: recipient.name } },
    digital_account_source: { id: source.id, created_at: timestamp(source.created_at), name: source.name },
    payment_methods: [
      {
        operation_method: 'digital_account',
        amount_total: amount,
        item_operations: [{ description: row.description, amount_total: amount, currency: { id: currency } }],
      },
    ],
    _data: {
      summary: row.description,
      kind: row.kind,
      currency: { id: currency },
      fee: formatAmount(row.fee_minor, currency),
      payment_intent: row.intent_id,
    },
  };
}
