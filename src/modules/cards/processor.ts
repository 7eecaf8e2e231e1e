// Card authorization goes through a processor: one adapter per network or acquirer, each a
// pure mapping of these requests and answers to its own wire. The sandbox simulator is the one
// adapter shipped; in production, card payments are refused until an adapter is configured.
import type { Ctx } from '../../platform/context.ts';
import { simulatedAuthorization, type Authorization, type CheckedCard } from './model.ts';

export interface AuthorizationRequest {
  card: Pick<CheckedCard, 'cardNumber' | 'expirationMonth' | 'expirationYear' | 'securityCode' | 'cardholderName'> & { brand: string };
  amountMinor: number;
  currency: string;
  installments: number;
  /** Authorize only (capture later) or authorize and capture at once. */
  capture: boolean;
  /** Our payment id, as the processor's merchant reference. */
  reference: string;
}

/** Capture, cancel and refund answer only whether the processor accepted them. */
export type ProcessorAnswer = { accepted: true } | { accepted: false; reason: string };

export interface CardProcessor {
  readonly name: string;
  authorize(request: AuthorizationRequest): Promise<Authorization>;
  capture(reference: string, amountMinor: number): Promise<ProcessorAnswer>;
  cancel(reference: string): Promise<ProcessorAnswer>;
  refund(reference: string, amountMinor: number): Promise<ProcessorAnswer>;
}

/** The sandbox simulator: outcomes by cardholder name (APRO, CONT, CALL, FUND, SECU, EXPI, FORM, OTHE). */
export const SANDBOX_PROCESSOR: CardProcessor = {
  name: 'sandbox',
  authorize: async (request) => simulatedAuthorization(request.card.cardholderName),
  capture: async () => ({ accepted: true }),
  cancel: async () => ({ accepted: true }),
  refund: async () => ({ accepted: true }),
};

/** The deployment's processor: the simulator in sandbox; none (yet) in production. */
export function cardProcessor(ctx: Ctx): CardProcessor | undefined {
  return ctx.config.environment === 'sandbox' ? SANDBOX_PROCESSOR : undefined;
}
