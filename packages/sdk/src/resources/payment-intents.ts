// Payment intents (`/api/payment-intent/…`): the payment button (`sale`) and the billing API
// (`request`), their execution, annulment within 24 h, and the history.
import type { ExecuteRequestParams, ExecuteSaleParams, ListParams, Page, PaymentIntent, PaymentIntentCreateParams, PaymentIntentSummary } from '../models.ts';
import { PageList } from '../pagination.ts';
import { withResponse, type RequestOptions, type Transport, type WithResponse } from '../transport.ts';

export class PaymentIntents {
  constructor(private readonly transport: Transport) {}

  /** Create a sale (send the buyer to `_links.approval_url.href`) or a billing request to `recipient`. */
  create(params: PaymentIntentCreateParams, options?: RequestOptions): Promise<WithResponse<PaymentIntent>> {
    return this.post('/api/payment-intent/.json', undefined, { paymentintent: params }, options);
  }

  /** One intent, whole (items, distributions, return-URL calls). */
  async retrieve(id: string): Promise<WithResponse<PaymentIntent>> {
    const { body, meta } = await this.transport.request<PaymentIntent>({
      method: 'GET',
      path: '/api/payment-intent/show.json',
      query: { id: required(id, 'id') },
      auth: true,
      retry: true,
    });
    return withResponse(body, meta);
  }

  /** The history, newest first: `await` one page, or `for await` every intent. Entries are summaries. */
  list(params: ListParams = {}): PageList<PaymentIntentSummary> {
    return new PageList(async (page, maxPerPage) => {
      const { body, meta } = await this.transport.request<Page<PaymentIntentSummary>>({
        method: 'GET',
        path: '/api/payment-intent/.json',
        query: { page, maxPerPage },
        auth: true,
        retry: true,
      });
      return withResponse(body, meta);
    }, params);
  }

  /** Execute a sale the buyer approved: `payer` is the `payerId` the return URL received. */
  executeSale(id: string, params: ExecuteSaleParams, options?: RequestOptions): Promise<WithResponse<PaymentIntent>> {
    const intent = required(id, 'id');
    return this.post('/api/payment-intent/execute/sale.json', intent, { payment_execution: { paymentIntent: intent, payer: params.payer } }, options);
  }

  /** Charge a billing request at the till: one of its `pay_tokens` and the payer's PIN. */
  executeRequest(id: string, params: ExecuteRequestParams, options?: RequestOptions): Promise<WithResponse<PaymentIntent>> {
    const execution = { payToken: params.payToken, pin: params.pin };
    return this.post('/api/payment-intent/execute/request.json', required(id, 'id'), { payment_execution: execution }, options);
  }

  /** Annul an executed intent within 24 h of its execution: every movement is reversed. */
  annul(id: string, options?: RequestOptions): Promise<WithResponse<PaymentIntent>> {
    return this.post('/api/payment-intent/cancel.json', undefined, { cancel_payment_intent: { paymentIntent: required(id, 'id') } }, options);
  }

  private async post(path: string, id: string | undefined, json: unknown, options: RequestOptions | undefined): Promise<WithResponse<PaymentIntent>> {
    const { body, meta } = await this.transport.request<PaymentIntent>({
      method: 'POST',
      path,
      query: { id },
      json,
      auth: true,
      retry: true,
      idempotent: true,
      options,
    });
    return withResponse(body, meta);
  }
}

export function required(value: string, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Pasarela: ${name} is required.`);
  return value;
}
