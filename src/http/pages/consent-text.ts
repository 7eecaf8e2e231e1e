// The OAuth consent page's words, Spanish first.
import type { Lang } from './html.ts';
import { SIGN_IN_TEXT } from './sign-in-text.ts';

const es = {
  ...SIGN_IN_TEXT.es,
  title: 'Autorizar aplicación',
  heading: (app: string) => `Autorizar a ${app} a cobrar en su nombre`,
  explain:
    'La aplicación podrá crear cobros con tarjeta que se acreditan en su cuenta electrónica, consultarlos y devolverlos. No podrá ver su contraseña ni mover su saldo a otras cuentas.',
  homepage: 'Sitio de la aplicación',
  signInTitle: 'Inicie sesión para continuar',
  approve: 'Autorizar',
  approving: 'Autorizando…',
  deny: 'Cancelar',
  unknownClient: 'La aplicación no existe en este ambiente. Verifique el client_id del enlace.',
  inactiveClient: 'La aplicación todavía no está activada.',
  redirectMismatch: 'La dirección de regreso (redirect_uri) no está registrada en la aplicación. El integrador debe registrarla exactamente igual.',
  operator: 'La cuenta del operador no cobra: inicie sesión con la cuenta del vendedor.',
};

const en: typeof es = {
  ...SIGN_IN_TEXT.en,
  title: 'Authorize application',
  heading: (app: string) => `Authorize ${app} to collect payments on your behalf`,
  explain:
    'The application will be able to create card payments credited to your wallet, read them and refund them. It cannot see your password or move your balance to other accounts.',
  homepage: "Application's site",
  signInTitle: 'Sign in to continue',
  approve: 'Authorize',
  approving: 'Authorizing…',
  deny: 'Cancel',
  unknownClient: 'The application does not exist in this environment. Check the client_id of the link.',
  inactiveClient: 'The application is not activated yet.',
  redirectMismatch: 'The return address (redirect_uri) is not registered on the application. The integrator must register it exactly.',
  operator: 'The operator account collects nothing: sign in with the seller’s account.',
};

export type ConsentText = typeof es;
export function consentText(lang: Lang): ConsentText {
  return lang === 'en' ? en : es;
}
