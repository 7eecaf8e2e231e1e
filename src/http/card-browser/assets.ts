// The browser files of the card family (assets/, plain JavaScript and CSS, no build step), read
// once at start and served to any origin: merchants' pages load them from Pasarela. Each file
// has a version (a hash of its content): asked for with `?v=<version>` it is cached for a year
// (the URL changes when the file does); the plain URL merchants paste is cached for a day, and
// revalidated cheaply with its ETag after that.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { InvariantError } from '../../kernel/errors.ts';

/** assets/ at the package's root: the same from src/ (tsx) and from dist/ (the build). */
export const ASSETS_DIR = fileURLToPath(new URL('../../../assets/', import.meta.url));

export interface Asset {
  body: string;
  type: string;
  version: string;
  etag: string;
  /** Subresource integrity of the body (`integrity` of a <script> or <link> that pins this version). */
  integrity: string;
}

export const VersionQuery = Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) });

const ONE_YEAR = 'public, max-age=31536000, immutable';
const ONE_DAY = 'public, max-age=86400';

/** A file of assets/, with `replace` applied to its text (each marker must occur exactly once). */
export function loadAsset(path: string, type: string, replace: Record<string, string> = {}): Asset {
  let body = readFileSync(`${ASSETS_DIR}${path}`, 'utf8');
  for (const [marker, value] of Object.entries(replace)) {
    const parts = body.split(marker);
    if (parts.length !== 2) throw new InvariantError(`assets/${path} must hold ${marker} exactly once, not ${parts.length - 1} times`);
    body = parts[0] + value + parts[1];
  }
  const hash = createHash('sha256').update(body).digest('hex');
  const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
  return { body, type, version: hash.slice(0, 16), etag: `"${hash.slice(0, 32)}"`, integrity };
}

/** The asset's URL under `base` that may be cached for good. */
export function versionedUrl(base: string, asset: Asset): string {
  return `${base}?v=${asset.version}`;
}

export function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  const { v } = request.query as { v?: string };
  reply
    .type(asset.type)
    .header('cache-control', v === asset.version ? ONE_YEAR : ONE_DAY)
    .header('etag', asset.etag)
    // Loaded by <script>/<link> from merchants' pages on other origins: CORP must not say
    // same-origin (helmet's default), and CORS lets a page add `crossorigin` and integrity.
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('access-control-allow-origin', '*');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.send(asset.body);
}
