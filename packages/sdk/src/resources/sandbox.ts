// The sandbox helpers (`/sandbox/…`, sandbox deployments only): what a test buyer does in the
// pages — approve, reject, pay in the wallet —, test money, and the deployment clock, so tests
// run a whole payment without a browser or a phone. They act only for test users (the demo buyers).
import type { Amount, HistoryResponse, PaymentIntentState } from '../models.ts';
import { withResponse, type Transport, type WithResponse } from '../transport.ts';
import { required } from './payment-intents.ts';

export interface SandboxPayer {
  /** A test user's username, phone or identification (`comprador1`). */
  payer: string;
}

export interface Approval {
  /** Where the hosted checkout sends the buyer: `returnUrl?paymentIntent=…&payerId=…`. */
  returnUrl: string;
  /** `paymentIntent` of the return URL. */
  paymentIntent: string;
  /** `payerId` of the return URL: what `executeSale` takes. */
  payerId: string;
}

export interface WalletBalance {
  id: string;
  currency: string;
  balance: string;
  balanceMinor: number;
  held: string;
  heldMinor: number;
}

export interface SandboxClock {
  now: string;
  offsetSeconds: number;
}

export class Sandbox {
  constructor(private readonly transport: Transport) {}

  /** The buyer approves a sale, as on the approval page. */
  async approve(id: string, params: SandboxPayer): Promise<WithResponse<Approval>> {
    const answer = await this.post<{ returnUrl: string }>(`/sandbox/payment-intents/${encodeURIComponent(required(id, 'id'))}/approve`, params);
    const query = new URL(answer.returnUrl).searchParams;
    const approval = { returnUrl: answer.returnUrl, paymentIntent: query.get('paymentIntent') ?? id, payerId: query.get('payerId') ?? '' };
    return withResponse(approval, answer.lastResponse);
  }

  /** The buyer cancels. */
  reject(id: string, params: SandboxPayer): Promise<WithResponse<{ cancelUrl: string }>> {
    return this.post(`/sandbox/payment-intents/${encodeURIComponent(required(id, 'id'))}/reject`, params);
  }

  /** The recipient of a billing request pays it in the wallet; the return URL is then called. */
  pay(id: string, params: SandboxPayer): Promise<WithResponse<{ paymentIntent: string; state: PaymentIntentState; historyResponses: HistoryResponse[] }>> {
    return this.post(`/sandbox/payment-intents/${encodeURIComponent(required(id, 'id'))}/pay`, params);
  }

  /** Test money into a test user's wallet or the merchant's own (`account`: a username). */
  fund(params: { account: string; amount: Amount; currency?: string }): Promise<WithResponse<WalletBalance>> {
    return this.post('/sandbox/wallets/fund', params);
  }

  /** The deployment clock (expiries and the 24-hour annulment window follow it). */
  async clock(): Promise<WithResponse<SandboxClock>> {
    const { body, meta } = await this.transport.request<SandboxClock>({ method: 'GET', path: '/sandbox/clock', auth: true, retry: true });
    return withResponse(body, meta);
  }

  /** Move the deployment clock forward (for every merchant of this sandbox). */
  advanceClock(seconds: number): Promise<WithResponse<SandboxClock>> {
    return this.post('/sandbox/clock', { advanceSeconds: seconds });
  }

  // These routes keep no idempotency keys: an attempt whose answer was lost may have acted, so
  // they are never sent twice.
  private async post<T extends object>(path: string, json: unknown): Promise<WithResponse<T>> {
    const { body, meta } = await this.transport.request<T>({ method: 'POST', path, json, auth: true, retry: false });
    return withResponse(body, meta);
  }
}
