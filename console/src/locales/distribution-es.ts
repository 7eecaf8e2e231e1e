// Spanish texts of an application's distribution accounts (es.ts includes them as `distribution`).
export const distributionEs = {
  title: 'Cuentas de distribución',
  intro:
    'Cuentas que pueden recibir una parte de cada cobro de esta aplicación (las distribuciones de una intención de pago). Una distribución a una cuenta que no esté aquí se rechaza.',
  needsPermissionSandbox: 'Para distribuir fondos, habilite primero el permiso «Distribución de fondos».',
  needsPermissionProduction: 'Para distribuir fondos, solicite primero el permiso «Distribución de fondos»: el operador lo habilita a solicitud.',
  toPermissions: 'Ir a Permisos',
  listLabel: 'Cuentas autorizadas',
  empty: 'Aún no hay cuentas autorizadas.',
  since: 'Autorizada el {{date}}',
  account: 'Cuenta a autorizar',
  accountHint: 'Usuario, teléfono, identificación o número de cuenta electrónica de quien recibirá las distribuciones (en VES).',
  add: 'Autorizar cuenta',
  adding: 'Autorizando…',
  added: '{{name}} (@{{username}}) puede recibir distribuciones de esta aplicación.',
  already: 'La cuenta de {{name}} (@{{username}}) ya estaba autorizada.',
  remove: 'Quitar',
  removeLabel: 'Quitar la cuenta de {{name}}',
  removeTitle: '¿Quitar esta cuenta de distribución?',
  removeText:
    '{{name}} (@{{username}}) dejará de recibir distribuciones de esta aplicación. Las intenciones de pago con distribuciones a esta cuenta, incluso las ya creadas, serán rechazadas.',
  removeConfirm: 'Sí, quitar',
  removing: 'Quitando…',
  removed: 'Se quitó la cuenta de {{name}} (@{{username}}).',
};
