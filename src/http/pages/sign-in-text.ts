// The words of the hosted pages' sign-in (checkout and OAuth consent), Spanish first.
import { IDENTITY_MESSAGES } from '../../modules/identity/index.ts';
type SignInWords = Record<
  'login' | 'password' | 'signIn' | 'signingIn' | 'badLogin' | 'tooMany' | 'testUserExpired' | 'accountLocked' | 'signedInAs' | 'notYou' | 'csrf',
  string
>;

export const SIGN_IN_TEXT: Record<'es' | 'en', SignInWords> = {
  es: {
    login: 'Usuario, teléfono o identificación',
    password: 'Contraseña',
    signIn: 'Continuar',
    signingIn: 'Verificando…',
    badLogin: 'Usuario o contraseña incorrectos.',
    tooMany: 'Demasiados intentos fallidos. Intente de nuevo en unos minutos.',
    testUserExpired: 'Este usuario de prueba venció por inactividad (60 días). Cree otro usuario de prueba.',
    accountLocked: IDENTITY_MESSAGES.accountLocked.es,
    signedInAs: 'Sesión iniciada como',
    notYou: '¿No es usted?',
    csrf: 'La sesión del formulario venció. Vuelva a intentarlo.',
  },
  en: {
    login: 'Username, phone or ID number',
    password: 'Password',
    signIn: 'Continue',
    signingIn: 'Checking…',
    badLogin: 'Wrong username or password.',
    tooMany: 'Too many failed attempts. Try again in a few minutes.',
    testUserExpired: 'This test user expired after 60 days without activity. Create another test user.',
    accountLocked: IDENTITY_MESSAGES.accountLocked.en,
    signedInAs: 'Signed in as',
    notYou: 'Not you?',
    csrf: 'The form expired. Please try again.',
  },
};
