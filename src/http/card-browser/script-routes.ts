// GET /js/pasarela.js (and its optional stylesheet /js/pasarela.css): the script merchants put
// on their checkout page to take the card in the buyer's browser and tokenize it with their
// public key (POST /v1/card_tokens), so the card number never reaches the merchant's server.
// The card rules it needs are inlined from the server's own (rules.ts).
import type { FastifyInstance } from 'fastify';
import { loadAsset, sendAsset, VersionQuery, type Asset } from './assets.ts';
import { browserCardRules } from './rules.ts';

export const SCRIPT_PATH = '/js/pasarela.js';
export const SCRIPT_STYLES_PATH = '/js/pasarela.css';
/** Where the served script receives its rules (a bare identifier: the file alone does not run). */
export const RULES_MARKER = '__PASARELA_RULES__';

export interface CardScript {
  script: Asset;
  styles: Asset;
}

export function loadCardScript(): CardScript {
  return {
    script: loadAsset('js/pasarela.js', 'text/javascript; charset=utf-8', { [RULES_MARKER]: JSON.stringify(browserCardRules()) }),
    styles: loadAsset('js/pasarela.css', 'text/css; charset=utf-8'),
  };
}

export async function cardScriptRoutes(app: FastifyInstance, files: CardScript): Promise<void> {
  const schema = { hide: true, querystring: VersionQuery };
  app.get(SCRIPT_PATH, { schema }, async (request, reply) => sendAsset(request, reply, files.script));
  app.get(SCRIPT_STYLES_PATH, { schema }, async (request, reply) => sendAsset(request, reply, files.styles));
}
