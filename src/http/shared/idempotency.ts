// `X-Idempotency-Key` (or `Idempotency-Key`) on POST: route option `preHandler: [auth,
// idempotent(ctx)]` after the caller is known. A finished request with the key is answered
// here at once (before PIN checks or reads); otherwise the route runs the service through `answerCommand`, which hands the
// service, whose runCommand claims the key and stores the answer in its own transaction
// (src/modules/commands).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import type { Ctx } from '../../platform/context.ts';
import { requestHash, storedAnswer, type CommandOptions, type IdempotencyKey, type StoredAnswer } from '../../modules/commands/index.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: IdempotencyKey;
  }
}

function callerScope(request: FastifyRequest): string {
  if (request.auth) return `user:${request.auth.user.id}`;
  if (request.session) return `user:${request.session.user.id}`;
  return `ip:${request.ip}`;
}

export function sendStoredAnswer(reply: FastifyReply, answer: StoredAnswer) {
  reply.header('idempotent-replayed', 'true');
  return reply.code(answer.statusCode).type(answer.contentType).send(answer.body);
}

export function idempotent(ctx: Ctx) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['x-idempotency-key'] ?? request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0]! : header;
    if (!KEY.test(key)) throw new ValidationError(COMMON_MESSAGES.idempotencyKey.es, 'common.idempotencyKey');
    const claim: IdempotencyKey = { scope: callerScope(request), key, requestHash: requestHash(request.method, request.url, request.body) };
    const answer = await storedAnswer(ctx.store.db, claim, await ctx.clock.now());
    if (answer) return sendStoredAnswer(reply, answer);
    request.idempotency = claim;
  };
}

/**
 * Run a command under the request's idempotency key (if any) and answer `present(result)`: the
 * answer stored with the key and the one sent are the same presentation, made once. (A retried
 * transaction presents its own result again: an earlier attempt's was rolled back.)
 */
export async function answerCommand<T>(
  request: FastifyRequest,
  present: (result: T) => unknown,
  run: (options: CommandOptions<T>) => Promise<T>,
  statusCode = 200,
): Promise<unknown> {
  const key = request.idempotency;
  let presented: { result: T; wire: unknown } | undefined;
  const presentOnce = (result: T) => {
    if (presented?.result !== result) presented = { result, wire: present(result) };
    return presented.wire;
  };
  const options: CommandOptions<T> = key
    ? {
        idempotency: {
          ...key,
          answer: (result) => ({ statusCode, body: JSON.stringify(presentOnce(result)), contentType: 'application/json; charset=utf-8' }),
        },
      }
    : {};
  return presentOnce(await run(options));
}

/**
 * A refusal for a request with a key may come from a check made before the command's
 * transaction, after another request with the same key finished: answer that one's result.
 */
export async function answerIfFinished(ctx: Ctx, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const key = request.idempotency;
  if (!key) return false;
  const answer = await storedAnswer(ctx.store.db, key, await ctx.clock.now()).catch(() => undefined);
  if (!answer) return false;
  await sendStoredAnswer(reply, answer);
  return true;
}
