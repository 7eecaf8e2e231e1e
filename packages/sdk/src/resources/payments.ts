// Payments (`/api/payment/…`): what executions and transfers moved, by id or reference.
import type { ListParams, Page, Payment } from '../models.ts';
import { PageList } from '../pagination.ts';
import { withResponse, type Transport, type WithResponse } from '../transport.ts';
import { required } from './payment-intents.ts';

export class Payments {
  constructor(private readonly transport: Transport) {}

  /** One payment by its id or its reference (`P2611240000001`). */
  async retrieve(idOrRef: string): Promise<WithResponse<Payment>> {
    const { body, meta } = await this.transport.request<Payment>({
      method: 'GET',
      path: '/api/payment/find.json',
      query: { id: required(idOrRef, 'id') },
      auth: true,
      retry: true,
    });
    return withResponse(body, meta);
  }

  /** The payments history, newest first: `await` one page, or `for await` every payment. */
  list(params: ListParams = {}): PageList<Payment> {
    return new PageList(async (page, maxPerPage) => {
      const { body, meta } = await this.transport.request<Page<Payment>>({
        method: 'GET',
        path: '/api/payment/.json',
        query: { page, maxPerPage },
        auth: true,
        retry: true,
      });
      return withResponse(body, meta);
    }, params);
  }
}
