// The registration and sign-in forms' rules, pure: the server checks them, and the web console
// checks the same ones in the browser before sending, so both say the same thing. The server
// speaks Spanish; the console shows the English text when its English switch is on.
import type { FieldError } from '../../kernel/errors.ts';
import type { RuleLang } from '../../kernel/messages.ts';
import {
  classifyPartyReference,
  isEmail,
  isIdentification,
  isPhone,
  isPin,
  isUsername,
  MIN_PASSWORD_LENGTH,
  normalizeIdentification,
  normalizePhone,
  normalizeUsername,
} from './model.ts';

export const IDENTITY_MESSAGES = {
  type: { es: 'El tipo debe ser person o business.', en: 'The type must be person or business.' },
  username: {
    es: 'El usuario debe tener de 3 a 40 letras minúsculas, números, punto, guion o guion bajo.',
    en: 'The username must have 3 to 40 lowercase letters, digits, dots, hyphens or underscores.',
  },
  usernameShape: {
    es: 'El usuario no puede tener la forma de un teléfono o de una identificación.',
    en: 'The username cannot look like a phone number or an identification.',
  },
  passwordShort: {
    es: `La contraseña debe tener al menos ${MIN_PASSWORD_LENGTH} caracteres.`,
    en: `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
  },
  passwordLong: { es: 'La contraseña es demasiado larga.', en: 'The password is too long.' },
  email: { es: 'El correo electrónico no es válido.', en: 'The email address is not valid.' },
  phone: { es: 'El teléfono debe tener el formato 58 seguido de 10 dígitos.', en: 'The phone number must be 58 followed by 10 digits.' },
  identification: {
    es: 'La identificación debe comenzar por V, E, J, G o P seguida de dígitos.',
    en: 'The identification must start with V, E, J, G or P followed by digits.',
  },
  name: { es: 'El nombre es obligatorio (máximo 120 caracteres).', en: 'The name is required (120 characters at most).' },
  pin: { es: 'El PIN debe tener 4 dígitos.', en: 'The PIN must have 4 digits.' },
  affiliationCode: {
    es: 'El código de afiliación es obligatorio para una cuenta empresarial.',
    en: 'A business account needs an affiliation code.',
  },
  // Only the server can tell these (they need the database); listed so the console can translate them.
  usernameTaken: { es: 'Este usuario ya está registrado.', en: 'This username is already registered.' },
  phoneTaken: { es: 'Este teléfono ya está registrado.', en: 'This phone number is already registered.' },
  identificationTaken: { es: 'Esta identificación ya está registrada.', en: 'This identification is already registered.' },
  affiliationCodeInvalid: { es: 'El código de afiliación no es válido o ya fue usado.', en: 'The affiliation code is not valid or was already used.' },
  login: { es: 'Indique su usuario, teléfono o identificación.', en: 'Enter your username, phone number or identification.' },
  loginPassword: { es: 'Indique su contraseña.', en: 'Enter your password.' },
  badLogin: { es: 'Usuario o contraseña incorrectos.', en: 'Wrong username or password.' },
  pinWrong: { es: 'El PIN de operaciones no es correcto.', en: 'The operations PIN is not correct.' },
  passwordWrong: { es: 'La contraseña no es correcta.', en: 'The password is not correct.' },
  accountLocked: { es: 'La cuenta está bloqueada. Comuníquese con el operador.', en: 'The account is locked. Contact the operator.' },
  userNotFound: { es: 'Usuario no encontrado.', en: 'User not found.' },
  searchTooLong: { es: 'La búsqueda admite hasta 100 caracteres.', en: 'The search takes up to 100 characters.' },
  partyReference: {
    es: 'Debe indicar un usuario, teléfono o identificación válido.',
    en: 'Enter a valid username, phone number or identification.',
  },
  testUserCreator: { es: 'Un usuario de prueba no puede crear usuarios de prueba.', en: 'A test user cannot create test users.' },
  testUserSite: { es: 'El site_id no es válido.', en: 'The site_id is not valid.' },
} as const satisfies Record<string, Record<RuleLang, string>>;

export interface RegistrationFields {
  type: 'person' | 'business';
  username: string;
  password: string;
  email: string;
  phone: string;
  identification: string;
  name: string;
  pin?: string;
  affiliationCode?: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** The registration form read and checked: its normalized fields, or what is wrong with it. */
export function readRegistration(
  input: Partial<Record<keyof RegistrationFields, unknown>>,
  lang: RuleLang = 'es',
): { value: RegistrationFields; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const add = (field: string, message: keyof typeof IDENTITY_MESSAGES) =>
    errors.push({ path: [field], message: IDENTITY_MESSAGES[message][lang], code: `identity.${message}` });
  const type = str(input.type) || 'person';
  if (type !== 'person' && type !== 'business') add('type', 'type');
  const username = normalizeUsername(str(input.username));
  if (!isUsername(username)) add('username', 'username');
  // A typed name is read as a phone, then an identification, then a username: a username of
  // either shape could never be used to sign in or to be paid, and would name someone else.
  else if (classifyPartyReference(username).kind !== 'username') add('username', 'usernameShape');
  const password = typeof input.password === 'string' ? input.password : '';
  if (password.length < MIN_PASSWORD_LENGTH) add('password', 'passwordShort');
  if (password.length > 200) add('password', 'passwordLong');
  const email = str(input.email);
  if (!isEmail(email)) add('email', 'email');
  const phone = normalizePhone(str(input.phone));
  if (!isPhone(phone)) add('phone', 'phone');
  const identification = normalizeIdentification(str(input.identification));
  if (!isIdentification(identification)) add('identification', 'identification');
  const name = str(input.name);
  if (!name || name.length > 120) add('name', 'name');
  const pin = input.pin === undefined || input.pin === null || input.pin === '' ? undefined : String(input.pin);
  if (pin !== undefined && !isPin(pin)) add('pin', 'pin');
  const affiliationCode = str(input.affiliationCode) || undefined;
  if (type === 'business' && !affiliationCode) add('affiliationCode', 'affiliationCode');
  return { value: { type: type as RegistrationFields['type'], username, password, email, phone, identification, name, pin, affiliationCode }, errors };
}

/** A new password (a reset): long enough, not too long. */
export function newPasswordProblems(password: unknown, lang: RuleLang = 'es'): FieldError[] {
  const text = typeof password === 'string' ? password : '';
  if (text.length < MIN_PASSWORD_LENGTH) return [{ path: ['password'], message: IDENTITY_MESSAGES.passwordShort[lang], code: 'identity.passwordShort' }];
  if (text.length > 200) return [{ path: ['password'], message: IDENTITY_MESSAGES.passwordLong[lang], code: 'identity.passwordLong' }];
  return [];
}

/** The sign-in form: both fields present (whether they match is the server's to say). */
export function signInProblems(input: { login?: unknown; password?: unknown }, lang: RuleLang = 'es'): FieldError[] {
  const errors: FieldError[] = [];
  if (str(input.login) === '') errors.push({ path: ['login'], message: IDENTITY_MESSAGES.login[lang], code: 'identity.login' });
  if (typeof input.password !== 'string' || input.password === '')
    errors.push({ path: ['password'], message: IDENTITY_MESSAGES.loginPassword[lang], code: 'identity.loginPassword' });
  return errors;
}

/** The PIN typed to authorize an operation (pay, decline, send). */
export function pinProblems(pin: unknown, lang: RuleLang = 'es'): FieldError[] {
  return isPin(String(pin ?? '')) ? [] : [{ path: ['pin'], message: IDENTITY_MESSAGES.pin[lang], code: 'identity.pin' }];
}

/** The PIN form: the account password and the new PIN. */
export function pinFormProblems(input: { password?: unknown; pin?: unknown }, lang: RuleLang = 'es'): FieldError[] {
  const errors: FieldError[] = input.password ? [] : [{ path: ['password'], message: IDENTITY_MESSAGES.loginPassword[lang], code: 'identity.loginPassword' }];
  return [...errors, ...pinProblems(input.pin, lang)];
}
