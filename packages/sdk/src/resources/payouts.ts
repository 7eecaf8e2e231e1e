// Bulk payouts (`/api/multipayment/register-item.json`): an item joins the merchant's batch
// pending upload, opened automatically; the batch is submitted from the console.
import type { PayoutItem, PayoutItemCreateParams } from '../models.ts';
import { withResponse, type RequestOptions, type Transport, type WithResponse } from '../transport.ts';

export class Payouts {
  constructor(private readonly transport: Transport) {}

  /** Register a payout to a Venezuelan bank account (the app needs the payouts permission). */
  async create(params: PayoutItemCreateParams, options?: RequestOptions): Promise<WithResponse<PayoutItem>> {
    const { type, ...item } = params;
    const { body, meta } = await this.transport.request<PayoutItem>({
      method: 'POST',
      path: '/api/multipayment/register-item.json',
      query: { type },
      json: { multi_payment_item: item },
      auth: true,
      retry: true,
      idempotent: true,
      options,
    });
    return withResponse(body, meta);
  }
}
