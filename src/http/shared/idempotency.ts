// `X-Idempotency-Key` (or `Idempotency-Key`) on POST: route option `preHandler: [auth,
// idempotent(ctx)]` after the caller is known. See src/modules/commands/idempotency.ts for the rules.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, ValidationError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { claimKey, completeKey, releaseKey, requestHash } from '../../modules/commands/idempotency.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
}

function callerScope(request: FastifyRequest): string {
  if (request.auth) return `user:${request.auth.user.id}`;
  if (request.session) return `user:${request.session.user.id}`;
  return `ip:${request.ip}`;
}

export function idempotent(ctx: Ctx) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['x-idempotency-key'] ?? request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0]! : header;
    if (!KEY.test(key)) throw new ValidationError('La clave de idempotencia debe tener de 1 a 255 caracteres visibles.');
    const scope = callerScope(request);
    const hash = requestHash(request.method, request.url, request.body);
    const claim = await claimKey(ctx, scope, key, hash);
    switch (claim.kind) {
      case 'run':
        request.idempotency = { scope, key };
        return;
      case 'replay':
        reply.header('idempotent-replayed', 'true');
        return reply.code(claim.statusCode).type(claim.contentType).send(claim.body);
      case 'in_progress':
        throw new ConflictError('Otra solicitud con esta clave de idempotencia está en curso; reintente en unos segundos.', 'idempotency_in_progress');
      case 'mismatch':
        throw new ConflictError('La clave de idempotencia ya se usó con otra solicitud.', 'idempotency_mismatch');
    }
  };
}

/** onSend hook (registered once on the server): store the first answer of a claimed key. */
export function storeIdempotentAnswer(ctx: Ctx) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500) {
      await releaseKey(ctx, claim.scope, claim.key);
      return payload;
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload ?? '');
    await completeKey(ctx, claim.scope, claim.key, reply.statusCode, body, String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'));
    return payload;
  };
}
