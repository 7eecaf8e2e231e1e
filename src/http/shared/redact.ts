// What of a request may reach the log: the URL with the value of every secret parameter
// masked. The parameter is recognised the way the query parser reads it — percent-decoded
// (`access%5Ftoken` is `access_token`) and by its innermost bracket name
// (`payment_execution[pin]`, `access_token[]`) — so no spelling that the API accepts slips through.
const SECRET_PARAMETER = /^(?:access_token|client_secret|refresh_token|password|pin|token)$/i;
export const MASK = '[oculto]';

function parameterName(rawKey: string): string {
  let key = rawKey.replace(/\+/g, ' ');
  try {
    key = decodeURIComponent(key);
  } catch {
    // a malformed escape: judge the raw text
  }
  const segments = key.split(/[[\]]+/).filter((s) => s.trim() !== '');
  return (segments[segments.length - 1] ?? '').trim();
}

/** 13 to 19 digits, maybe grouped by spaces, dashes or their escapes: what a card number looks like. */
const CARD_LIKE = /\d(?:(?:[ -]|%20|\+)?\d){12,18}/g;

/**
 * A card number typed where it does not belong (a path, a query) is masked too. Every run of
 * card-like length is masked, Luhn-valid or not: a log line must not be where that is decided.
 */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_LIKE, '[tarjeta]');
}

export function redactUrl(rawUrl: string): string {
  const url = maskCardNumbers(rawUrl);
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url.slice(start + 1).split('&');
  const masked = pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    const key = pair.slice(0, eq);
    return SECRET_PARAMETER.test(parameterName(key)) ? `${key}=${MASK}` : pair;
  });
  return `${url.slice(0, start + 1)}${masked.join('&')}`;
}
