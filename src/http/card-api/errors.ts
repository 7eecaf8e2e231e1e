// How the card family answers errors: `{message, error, status, cause: [{code, description}]}`,
// the shape its official SDKs parse. Refusals are mapped by an exhaustive switch (a new refusal
// code does not compile until it is answered here); card data-entry problems carry their codes.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { assertNever, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, type FieldError } from '../../kernel/errors.ts';
import { Refused, type Refusal } from '../../kernel/refusals.ts';
import { OAuthError } from '../../modules/apps/index.ts';
import { CARD_PROBLEMS, CardProblems } from '../../modules/cards/index.ts';
import { Replayed } from '../../modules/commands/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { BodyError } from '../shared/body.ts';
import { POINT_ACTIONS } from '../shared/refusals.ts';
import { fromAjv } from '../shared/errors.ts';
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
  409: 'conflict',
  413: 'bad_request',
  415: 'bad_request',
  429: 'too_many_requests',
};

/** The actions of `card_payment_state`, as the messages name them. */
const ACTIONS: Record<'capture' | 'cancel' | 'refund', string> = { capture: 'capturar', cancel: 'cancelar', refund: 'devolver' };

export function cardAnswer(status: number, message: string, cause: Cause[] = []): CardApiAnswer {
  return { status, body: { message, error: ERROR_NAMES[status] ?? 'bad_request', status, cause } };
}

/** A refusal as the card family answers it: status, cause code and text. */
export function cardRefusal(refusal: Refusal): CardApiAnswer {
  const bad = (code: string | number, description: string) => cardAnswer(400, description, [{ code, description }]);
  switch (refusal.code) {
    case 'card_token_invalid':
      return bad(2006, 'El token de la tarjeta no existe, ya se usó o venció.');
    case 'card_processor_missing':
      return bad(204, 'Los pagos con tarjeta no están disponibles: no hay un procesador de tarjetas configurado.');
    case 'card_processor_declined':
      return bad('processor_declined', `El procesador de tarjetas rechazó la operación (${refusal.reason.slice(0, 200)}).`);
    case 'payment_method_mismatch':
      return bad(3034, 'El payment_method_id no corresponde a la marca de la tarjeta.');
    case 'installments_invalid':
      return bad(109, 'El medio de pago no procesa pagos en cuotas.');
    case 'card_payment_state':
      return bad(126, `La acción ${ACTIONS[refusal.action]} no es válida en el estado actual del pago.`);
    case 'card_amount_exceeded':
      return bad(
        refusal.action === 'capture' ? 129 : 4040,
        refusal.action === 'capture' ? 'El monto supera el monto autorizado.' : 'El monto supera lo que queda por devolver.',
      );
    case 'customer_exists':
      return bad(101, 'El cliente ya existe (mismo email).');
    case 'fee_exceeds_amount':
      return bad(129, 'El monto no cubre la comisión.');
    case 'insufficient_funds':
      return bad(4040, 'El cobrador no tiene fondos para esta devolución.');
    case 'balance_limit':
      return bad(129, 'El monto dejaría el saldo fuera del rango permitido.');
    case 'hold_already_posted':
    case 'hold_already_voided':
    case 'hold_expired':
      return bad(126, 'La autorización ya no está pendiente (capturada, cancelada o vencida).');
    case 'hold_amount_exceeded':
      return bad(129, 'El monto supera el monto autorizado.');
    // POS terminals (the Point integration API and the device API answer in this shape too).
    case 'point_device_busy':
      return cardAnswer(409, 'El terminal ya tiene una intención de pago en curso: cancélela o espere a que termine.', [
        { code: 'point_device_busy', description: 'There is a queued payment intent for this device.' },
      ]);
    case 'point_device_standalone':
      return cardAnswer(409, 'El terminal está en modo STANDALONE: cámbielo a PDV para enviarle intenciones de pago.', [
        { code: 'point_device_standalone', description: 'The device is not in PDV mode.' },
      ]);
    case 'point_device_not_linked':
      return cardAnswer(409, 'El terminal no está vinculado a una cuenta.', [{ code: 'point_device_not_linked', description: 'The device is not linked.' }]);
    case 'point_pairing_code_invalid':
      return bad('point_pairing_code_invalid', 'El código de vinculación no existe o venció.');
    case 'point_intent_state':
      return cardAnswer(409, `La intención de pago está en estado ${refusal.state}: no se puede ${POINT_ACTIONS[refusal.action]}.`, [
        { code: 'point_intent_state', description: `The payment intent is ${refusal.state}.` },
      ]);
    case 'idempotency_key_reused':
      return bad('idempotency_key_reused', 'La X-Idempotency-Key ya se usó con otra solicitud.');
    case 'sandbox_only':
      return cardAnswer(403, 'Solo disponible en sandbox.');
    case 'test_user_required':
    case 'test_and_real_users':
      return bad(145, 'Un usuario de prueba y un usuario real no pueden pagarse entre sí.');
    case 'test_users_limit':
      return bad('test_users_limit', `Puede tener hasta ${refusal.max} usuarios de prueba activos a la vez.`);
    case 'test_user_expired':
      return cardAnswer(403, 'Este usuario de prueba venció por inactividad (60 días).');
    case 'account_locked':
      return cardAnswer(403, 'La cuenta está bloqueada.');
    case 'too_many_attempts':
    case 'token_rate_limited':
      return cardAnswer(429, 'Demasiadas solicitudes: intente de nuevo más tarde.');
    case 'permission_missing':
    case 'permissions_by_operator':
    case 'business_account_required':
    case 'operator_has_no_wallet':
    case 'operator_cannot_pay':
      return cardAnswer(403, 'Quien llama no tiene permiso para hacer esto.');
    // Refusals of the wallet family's use cases: the card family's routes never reach them.
    case 'mail_unavailable':
    case 'reset_link_invalid':
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
    case 'operator_not_lockable':
    case 'request_not_pending':
    case 'permission_already_enabled':
    case 'too_many_endpoints':
    case 'delivery_in_flight':
      return bad(refusal.code, `La operación no corresponde a los pagos con tarjeta (${refusal.code}).`);
    default:
      return assertNever(refusal, 'refusal');
  }
}

/** Field errors as the card family's causes: the parameter, then what is wrong with it. */
function parameterCauses(errors: readonly FieldError[]): Cause[] {
  return errors.map((f) => ({ code: 'invalid_parameter', description: `${f.path.join('.') || 'body'}: ${f.message}` }));
}

function describe(error: FastifyError | Error): CardApiAnswer | undefined {
  if ((error as FastifyError).validation) {
    // The schema's errors in the same Spanish as the wallet family's (fromAjv), not Ajv's English.
    const causes = parameterCauses(fromAjv((error as FastifyError).validation as unknown as ErrorObject[]));
    return cardAnswer(400, causes[0]?.description ?? 'Solicitud no válida.', causes);
  }
  if (error instanceof CardProblems) {
    const causes = error.codes.map((code) => ({ code, description: CARD_PROBLEMS[code].es }));
    return cardAnswer(400, causes.map((c) => c.description).join(' '), causes);
  }
  if (error instanceof Refused) return cardRefusal(error.refusal);
  if (error instanceof OAuthError) {
    // RFC 6749 §5.2: a client that failed to authenticate is 401, any other problem 400.
    const answer = cardAnswer(error.code === 'invalid_client' ? 401 : 400, error.message);
    answer.body.error = error.code;
    return answer;
  }
  if (error instanceof ValidationError) {
    const causes = parameterCauses(error.fieldErrors);
    return cardAnswer(400, causes.map((c) => c.description).join(' ') || 'Solicitud no válida.', causes);
  }
  if (error instanceof NotFoundError) return cardAnswer(404, error.message);
  if (error instanceof UnauthorizedError) return cardAnswer(401, error.message);
  if (error instanceof ForbiddenError) return cardAnswer(403, error.message);
  if (error instanceof BodyError) return cardAnswer(error.statusCode, error.message);
  if ((error as { code?: string }).code === '22021') return cardAnswer(400, 'El texto contiene caracteres que no son válidos.');
  const status = (error as FastifyError).statusCode ?? 500;
  if (status < 400 || status >= 500) return undefined;
  const code = (error as FastifyError).code ?? '';
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return cardAnswer(status, 'El cuerpo JSON no es válido.');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return cardAnswer(status, 'Tipo de contenido no admitido: envíe JSON.');
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return cardAnswer(status, 'El cuerpo de la solicitud es demasiado grande.');
  return cardAnswer(status, 'Solicitud no válida.');
}

/**
 * The Mercado Pago SDKs send `Content-Type: application/json` with no body (a full refund, a
 * DELETE): in this plugin scope an empty body reads as null, anything else as JSON with the
 * default parser's protections.
 */
export function acceptEmptyJson(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, null) : json(request, body as string, done),
  );
}

/** The family's error handler, for its own plugin scope; `prefixes`: the paths it owns (errors before routing). */
export function useCardErrors(app: FastifyInstance, ctx: Ctx, prefixes: readonly string[] = ['/v1/']): void {
  for (const prefix of prefixes) {
    if (!app.errorShapes.some((shape) => shape.prefix === prefix))
      app.errorShapes.push({ prefix, body: (status, message) => cardAnswer(status, message).body });
  }
  app.setErrorHandler(async (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof Replayed) return sendStoredAnswer(reply, error.answer);
    if ((error instanceof Refused || error instanceof ValidationError) && (await answerIfFinished(ctx, request, reply))) return reply;
    let answer = describe(error);
    if (!answer) {
      request.log.error({ err: error }, 'unhandled error');
      answer = cardAnswer(500, 'Error interno del servidor.');
      answer.body.error = 'internal_error';
    }
    // The token endpoint speaks OAuth (RFC 6749 §5.2): a malformed request is invalid_request,
    // and a locked account's grant is invalid_grant (as the wallet family's password grant).
    if (request.url.split('?')[0] === '/oauth/token') {
      if (error instanceof Refused && error.refusal.code === 'account_locked') {
        answer = cardAnswer(400, answer.body.message);
        answer.body.error = 'invalid_grant';
      } else if (answer.status === 400 && answer.body.error === 'bad_request') answer.body.error = 'invalid_request';
    }
    if (answer.status === 401) reply.header('www-authenticate', 'Bearer realm="Pasarela"');
    const retryAfter = error instanceof Refused && 'retryAfterSeconds' in error.refusal ? error.refusal.retryAfterSeconds : undefined;
    if (answer.status === 429 && retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return reply.code(answer.status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(answer.body);
  });
}
