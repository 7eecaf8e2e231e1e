// How the card family answers errors: `{message, error, status, cause: [{code, description}]}`,
// the shape its official SDKs parse. Refusals are mapped by an exhaustive switch (a new refusal
// code does not compile until it is answered here); card data-entry problems carry their codes.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertNever, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../kernel/errors.ts';
import { Refused, type Refusal } from '../../kernel/refusals.ts';
import { CARD_PROBLEMS, CardProblems } from '../../modules/cards/index.ts';
import { Replayed } from '../../modules/commands/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { BodyError } from '../shared/body.ts';
import { answerIfFinished, sendStoredAnswer } from '../shared/idempotency.ts';

export interface Cause {
  code: string | number;
  description: string;
}

export interface CardApiAnswer {
  status: number;
  body: { message: string; error: string; status: number; cause: Cause[] };
}

const ERROR_NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'bad_request',
  415: 'bad_request',
  429: 'too_many_requests',
};

export function cardAnswer(status: number, message: string, cause: Cause[] = []): CardApiAnswer {
  return { status, body: { message, error: ERROR_NAMES[status] ?? 'bad_request', status, cause } };
}

/** A refusal as the card family answers it: status, cause code and text. */
export function cardRefusal(refusal: Refusal): CardApiAnswer {
  const bad = (code: string | number, description: string) => cardAnswer(400, description, [{ code, description }]);
  switch (refusal.code) {
    case 'card_token_invalid':
      return bad(2006, 'Card token not found, already used or expired.');
    case 'card_processor_missing':
      return bad(204, 'Card payments are not available: no card processor is configured.');
    case 'payment_method_mismatch':
      return bad(3034, 'The payment_method_id does not match the card brand.');
    case 'installments_invalid':
      return bad(109, 'The payment method does not process payments in installments.');
    case 'card_payment_state':
      return bad(126, `The action ${refusal.action} is not valid in the current state of the payment.`);
    case 'card_amount_exceeded':
      return bad(
        refusal.action === 'capture' ? 129 : 4040,
        refusal.action === 'capture' ? 'The amount exceeds the authorized amount.' : 'The amount exceeds what is left to refund.',
      );
    case 'customer_exists':
      return bad(101, 'The customer already exists (same email).');
    case 'fee_exceeds_amount':
      return bad(129, 'The amount does not cover the fee.');
    case 'insufficient_funds':
      return bad(4040, 'The collector does not have the funds for this refund.');
    case 'balance_limit':
      return bad(129, 'The amount would leave the balance out of range.');
    case 'hold_already_posted':
    case 'hold_already_voided':
    case 'hold_expired':
      return bad(126, 'The authorization is no longer pending (captured, cancelled or expired).');
    case 'hold_amount_exceeded':
      return bad(129, 'The amount exceeds the authorized amount.');
    case 'idempotency_key_reused':
      return bad('idempotency_key_reused', 'The X-Idempotency-Key was already used with another request.');
    case 'sandbox_only':
      return cardAnswer(403, 'Only available in sandbox.');
    case 'test_user_required':
      return bad(145, 'Test users and real users cannot pay each other.');
    case 'too_many_attempts':
    case 'token_rate_limited':
      return cardAnswer(429, 'Too many requests.');
    case 'permission_missing':
    case 'permissions_by_operator':
    case 'business_account_required':
    case 'operator_has_no_wallet':
    case 'operator_cannot_pay':
      return cardAnswer(403, 'The caller is not allowed to do this.');
    // Refusals of the wallet family's use cases: the card family's routes never reach them.
    case 'same_account':
    case 'pin_not_set':
    case 'pin_wrong':
    case 'password_wrong':
    case 'already_registered':
    case 'pin_locked':
    case 'app_already_active':
    case 'intent_executed':
    case 'intent_annulled':
    case 'intent_rejected':
    case 'intent_expired':
    case 'intent_not_approved':
    case 'intent_not_payable':
    case 'intent_wrong_type':
    case 'intent_other_payer':
    case 'intent_for_other_user':
    case 'own_intent':
    case 'own_account':
    case 'request_to_self':
    case 'unknown_party':
    case 'pay_token_invalid':
    case 'payer_not_approver':
    case 'distributions_disabled':
    case 'distribution_unauthorized':
    case 'already_annulled':
    case 'annul_window_passed':
    case 'not_executed':
    case 'funds_moved':
    case 'batch_full':
    case 'batch_total_exceeded':
    case 'batch_already_submitted':
    case 'batch_empty':
    case 'batch_not_submitted':
    case 'too_many_endpoints':
    case 'delivery_in_flight':
      return bad(refusal.code, refusal.code.replace(/_/g, ' '));
    default:
      return assertNever(refusal, 'refusal');
  }
}

/** The parameter a schema error is about, as the card family's `cause` names it. */
function parameterOf(error: { instancePath: string; params: Record<string, unknown>; keyword: string }): string {
  const path = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  return path.join('.') || 'body';
}

function describe(error: FastifyError | Error): CardApiAnswer | undefined {
  if ((error as FastifyError).validation) {
    const causes = ((error as FastifyError).validation ?? []).map((v) => {
      const parameter = parameterOf(v as never);
      return { code: 'invalid_parameter', description: `${parameter}: ${v.message ?? 'invalid'}` };
    });
    return cardAnswer(400, causes[0]?.description ?? 'Invalid request.', causes);
  }
  if (error instanceof CardProblems) {
    const causes = error.codes.map((code) => ({ code, description: CARD_PROBLEMS[code].en }));
    return cardAnswer(400, causes.map((c) => c.description).join(' '), causes);
  }
  if (error instanceof Refused) return cardRefusal(error.refusal);
  if (error instanceof ValidationError) {
    const causes = error.fieldErrors.map((f) => ({ code: 'invalid_parameter', description: `${f.path.join('.') || 'body'}: ${f.message}` }));
    return cardAnswer(400, causes.map((c) => c.description).join(' ') || 'Invalid request.', causes);
  }
  if (error instanceof NotFoundError) return cardAnswer(404, error.message);
  if (error instanceof UnauthorizedError) return cardAnswer(401, error.message);
  if (error instanceof ForbiddenError) return cardAnswer(403, error.message);
  if (error instanceof BodyError) return cardAnswer(error.statusCode, error.message);
  if ((error as { code?: string }).code === '22021') return cardAnswer(400, 'The text carries characters that are not valid.');
  const status = (error as FastifyError).statusCode ?? 500;
  if (status < 400 || status >= 500) return undefined;
  const code = (error as FastifyError).code ?? '';
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return cardAnswer(status, 'The JSON body is not valid.');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return cardAnswer(status, 'Unsupported content type: send JSON.');
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return cardAnswer(status, 'The request body is too large.');
  return cardAnswer(status, 'Invalid request.');
}

/** The family's error handler, for its own plugin scope. */
export function useCardErrors(app: FastifyInstance, ctx: Ctx): void {
  app.errorShapes.push({ prefix: '/v1/', body: (status, message) => cardAnswer(status, message).body });
  app.setErrorHandler(async (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof Replayed) return sendStoredAnswer(reply, error.answer);
    if ((error instanceof Refused || error instanceof ValidationError) && (await answerIfFinished(ctx, request, reply))) return reply;
    let answer = describe(error);
    if (!answer) {
      request.log.error({ err: error }, 'unhandled error');
      answer = cardAnswer(500, 'Internal server error.');
      answer.body.error = 'internal_error';
    }
    if (answer.status === 401) reply.header('www-authenticate', 'Bearer realm="Pasarela"');
    const retryAfter = error instanceof Refused && 'retryAfterSeconds' in error.refusal ? error.refusal.retryAfterSeconds : undefined;
    if (answer.status === 429 && retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return reply.code(answer.status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(answer.body);
  });
}
