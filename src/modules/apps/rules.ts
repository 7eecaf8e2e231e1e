// The application form's rules (seed 000), pure: the server checks them and the web console
// checks the same ones in the browser before uploading, so both say the same thing. Only the
// server can look inside the logo (a well-formed PNG, src/modules/apps/png.ts); the browser
// checks its size and signature.
import type { FieldError } from '../../kernel/errors.ts';
import type { RuleLang } from '../../kernel/messages.ts';

export const MAX_LOGO_BYTES = 1024 * 1024;

/** Most accounts an app may authorize for its distributions. */
export const MAX_DISTRIBUTION_ACCOUNTS = 50;

export const APP_MESSAGES = {
  name: { es: 'El nombre de la aplicación es obligatorio (máximo 80 caracteres).', en: 'The application name is required (80 characters at most).' },
  description: { es: 'La descripción es obligatoria (máximo 500 caracteres).', en: 'The description is required (500 characters at most).' },
  homepageUrl: { es: 'La URL de la página de inicio no es válida.', en: 'The homepage URL is not valid.' },
  logoTooBig: { es: 'El logo no puede superar 1 MB.', en: 'The logo cannot be larger than 1 MB.' },
  logoNotPng: { es: 'El logo debe ser una imagen PNG válida.', en: 'The logo must be a valid PNG image.' },
  logoMissing: { es: 'El logo de la aplicación es obligatorio (PNG).', en: 'The application logo is required (PNG).' },
  redirectUris: {
    es: 'Las URL de redirección deben ser hasta 10 direcciones completas (https://…), sin fragmento (#), de hasta 300 caracteres.',
    en: 'Redirect URLs must be up to 10 full addresses (https://…), without a fragment (#), of 300 characters at most.',
  },
  redirectUrisHttps: {
    es: 'En producción las URL de redirección deben usar https://.',
    en: 'In production, redirect URLs must use https://.',
  },
  rejectionReason: {
    es: 'Indique el motivo del rechazo (de 3 a 500 caracteres): el comercio lo verá.',
    en: 'Give the reason for the rejection (3 to 500 characters): the merchant will see it.',
  },
  receivingAccount: { es: 'La cuenta receptora debe ser una de sus cuentas electrónicas.', en: 'The receiving account must be one of your wallet accounts.' },
  distributionAccount: {
    es: 'Indique el usuario, teléfono, identificación o número de cuenta de quien recibirá las distribuciones.',
    en: 'Enter the username, phone, identification or account number of whoever will receive the distributions.',
  },
  distributionAccountUnknown: {
    es: 'No existe una cuenta electrónica con ese usuario, teléfono, identificación o número.',
    en: 'There is no wallet account with that username, phone, identification or number.',
  },
  distributionAccountOwn: {
    es: 'Los cobros de la aplicación ya llegan a sus cuentas: indique la cuenta de otra persona.',
    en: 'The application’s payments already reach your accounts: enter someone else’s account.',
  },
  distributionAccountsFull: {
    es: `Una aplicación puede tener hasta ${MAX_DISTRIBUTION_ACCOUNTS} cuentas de distribución: quite alguna antes de agregar otra.`,
    en: `An application may have up to ${MAX_DISTRIBUTION_ACCOUNTS} distribution accounts: remove one before adding another.`,
  },
  // Only the server can tell these; listed so the console can say them in English.
  notFound: { es: 'Aplicación no encontrada.', en: 'Application not found.' },
  notActive: { es: 'La aplicación no está activada para usar el API.', en: 'The application is not activated to use the API.' },
  permissionNotEnabled: { es: 'La aplicación no tiene habilitado este permiso.', en: 'The application does not have this permission enabled.' },
  permission: {
    es: 'El permiso debe ser payment_button, billing_api, distributions o payouts.',
    en: 'The permission must be payment_button, billing_api, distributions or payouts.',
  },
  permissionUnknown: {
    es: 'Permiso desconocido: debe ser payment_button, billing_api, distributions o payouts.',
    en: 'Unknown permission: it must be payment_button, billing_api, distributions or payouts.',
  },
  distributionAccounts: {
    es: `Debe ser una lista de hasta ${MAX_DISTRIBUTION_ACCOUNTS} cuentas.`,
    en: `It must be a list of up to ${MAX_DISTRIBUTION_ACCOUNTS} accounts.`,
  },
  // The bearer token's checks (src/http/shared/auth.ts).
  tokenMissing: { es: 'Se requiere un token de acceso (Authorization: Bearer …).', en: 'An access token is required (Authorization: Bearer …).' },
  tokenUnknown: { es: 'El token de acceso no es válido.', en: 'The access token is not valid.' },
  tokenExpired: { es: 'El token de acceso ha expirado.', en: 'The access token expired.' },
  tokenRevoked: { es: 'El token de acceso fue revocado.', en: 'The access token was revoked.' },
  tokenLocked: { es: 'La cuenta está bloqueada: el operador revocó sus tokens.', en: 'The account is locked: the operator revoked its tokens.' },
  tokenWrongEnvironment: {
    es: 'El token pertenece a otro ambiente: use las llaves TEST- en pruebas y APP_USR- en producción.',
    en: 'The token belongs to another environment: use the TEST- keys in the sandbox and the APP_USR- keys in production.',
  },
  sellerToken: {
    es: 'Este token actúa por un vendedor que autorizó la aplicación: solo sirve para cobrar con tarjeta (API de tarjetas).',
    en: 'This token acts for a seller who authorized the application: it only serves to charge cards (card API).',
  },
} as const satisfies Record<string, Record<RuleLang, string>>;

/** The reason the operator gives when it rejects a request, trimmed; undefined when it does not qualify. */
export function readRejectionReason(v: unknown): string | undefined {
  const reason = text(v);
  return reason.length >= 3 && reason.length <= 500 ? reason : undefined;
}

/**
 * The account to authorize for distributions, as typed: a username, phone, identification or
 * wallet account id (what "enviar dinero" takes), trimmed. Only the server can tell whether it exists.
 */
export function readDistributionAccount(v: unknown, lang: RuleLang = 'es'): { value: string; errors: FieldError[] } {
  const value = text(v);
  if (!value || value.length > 100) {
    return { value, errors: [{ path: ['account'], message: APP_MESSAGES.distributionAccount[lang], code: 'apps.distributionAccount' }] };
  }
  return { value, errors: [] };
}

export const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

export interface AppFields {
  name: string;
  description: string;
  homepageUrl: string;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** Name, description and homepage read and checked. */
export function readAppFields(
  input: { name?: unknown; description?: unknown; homepageUrl?: unknown },
  lang: RuleLang = 'es',
): { value: AppFields; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = text(input.name);
  if (!name || name.length > 80) errors.push({ path: ['name'], message: APP_MESSAGES.name[lang], code: 'apps.name' });
  const description = text(input.description);
  if (!description || description.length > 500) errors.push({ path: ['description'], message: APP_MESSAGES.description[lang], code: 'apps.description' });
  const homepageUrl = text(input.homepageUrl);
  let url: URL | undefined;
  try {
    url = new URL(homepageUrl);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || homepageUrl.length > 300)
    errors.push({ path: ['homepageUrl'], message: APP_MESSAGES.homepageUrl[lang], code: 'apps.homepageUrl' });
  return { value: { name, description, homepageUrl }, errors };
}

/** Most redirect URIs an app may register. */
export const MAX_REDIRECT_URIS = 10;

/**
 * The redirect URIs of the authorization-code flow: a list (or one per line), each an absolute
 * http(s) URL without credentials or fragment, compared later character for character. Plain
 * http is accepted only where `allowHttp` (sandbox: a developer's own machine).
 */
export function readRedirectUris(input: unknown, allowHttp: boolean, lang: RuleLang = 'es'): { value: string[]; errors: FieldError[] } {
  const list = typeof input === 'string' ? input.split(/\s+/) : Array.isArray(input) ? input : null;
  const fail = (message: keyof typeof APP_MESSAGES) => ({
    value: [],
    errors: [{ path: ['redirectUris'], message: APP_MESSAGES[message][lang], code: `apps.${message}` }],
  });
  if (!list || list.some((v) => typeof v !== 'string')) return fail('redirectUris');
  const uris = [...new Set((list as string[]).map((v) => v.trim()).filter(Boolean))];
  if (uris.length > MAX_REDIRECT_URIS) return fail('redirectUris');
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return fail('redirectUris');
    }
    if (!/^https?:$/.test(url.protocol) || url.hash || uri.includes('#') || url.username || url.password || uri.length > 300) return fail('redirectUris');
    if (url.protocol === 'http:' && !allowHttp) return fail('redirectUrisHttps');
  }
  return { value: uris, errors: [] };
}

/**
 * What the browser can tell about a chosen logo before sending it: present when required, at
 * most 1 MB, and starting with the PNG signature (`head`: its first bytes). The key of its message.
 */
export function logoProblemKey(
  logo: { size: number; head: ArrayLike<number> } | undefined,
  required: boolean,
): 'logoMissing' | 'logoTooBig' | 'logoNotPng' | undefined {
  if (!logo) return required ? 'logoMissing' : undefined;
  if (logo.size > MAX_LOGO_BYTES) return 'logoTooBig';
  if (logo.head.length < PNG_MAGIC.length || PNG_MAGIC.some((byte, i) => logo.head[i] !== byte)) return 'logoNotPng';
  return undefined;
}

/** The logo's problem (logoProblemKey) in `lang`. */
export function logoProblem(logo: { size: number; head: ArrayLike<number> } | undefined, required: boolean, lang: RuleLang = 'es'): string | undefined {
  const key = logoProblemKey(logo, required);
  return key ? APP_MESSAGES[key][lang] : undefined;
}
