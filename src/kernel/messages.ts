// The messages about the request itself that no module owns — the schema checks' Symfony
// wording, the body and URL limits, the session and CSRF checks, amounts and currencies — in
// both languages, pure. The server answers in Spanish and names each one's code ("common.tooLong")
// beside it, so the web console says it in English when English is on. Where the Spanish text
// carries a particular (a limit, a column) the English one is said without it.
/** The console's two languages; the server speaks Spanish. */
export type RuleLang = 'es' | 'en';

export const COMMON_MESSAGES = {
  // The schema checks (Symfony's validator messages: src/http/shared/errors.ts).
  required: { es: 'Este valor no debería estar vacío.', en: 'This value should not be blank.' },
  tooShort: { es: 'Este valor es demasiado corto.', en: 'This value is too short.' },
  tooLong: { es: 'Este valor es demasiado largo.', en: 'This value is too long.' },
  choice: { es: 'El valor seleccionado no es una opción válida.', en: 'The value you selected is not a valid choice.' },
  tooSmall: { es: 'Este valor es demasiado pequeño.', en: 'This value is too small.' },
  tooLarge: { es: 'Este valor es demasiado grande.', en: 'This value is too large.' },
  notAllowed: { es: 'Este campo no está permitido.', en: 'This field is not allowed.' },
  tooFewItems: { es: 'Esta colección tiene muy pocos elementos.', en: 'This collection has too few elements.' },
  tooManyItems: { es: 'Esta colección tiene demasiados elementos.', en: 'This collection has too many elements.' },
  invalid: { es: 'Este valor no es válido.', en: 'This value is not valid.' },
  boolean: { es: 'Debe ser verdadero o falso.', en: 'It must be true or false.' },
  cursor: { es: 'El cursor no es válido.', en: 'The page cursor is not valid.' },
  date: { es: 'La fecha no es válida.', en: 'The date is not valid.' },
  dayOrInstant: { es: 'La fecha no es válida (AAAA-MM-DD).', en: 'The date is not valid (YYYY-MM-DD).' },
  dateRange: { es: 'La fecha final debe ser posterior a la inicial.', en: 'The end date must be after the start date.' },
  // Amounts and currencies (src/kernel/money.ts).
  currency: { es: 'La moneda no es válida.', en: 'The currency is not valid.' },
  amountInvalid: { es: 'El monto no es válido.', en: 'The amount is not valid.' },
  amountPositive: { es: 'El monto debe ser mayor que cero.', en: 'The amount must be greater than zero.' },
  amountDecimals: { es: 'El monto admite como máximo 2 decimales.', en: 'The amount takes 2 decimals at most.' },
  amountWhole: { es: 'El monto admite como máximo 0 decimales.', en: 'The amount takes no decimals.' },
  amountTooBig: { es: 'El monto excede el máximo permitido.', en: 'The amount is over the maximum allowed.' },
  // Where a URL the platform will call may point (src/platform/ssrf.ts).
  targetUrlInvalid: { es: 'La URL no es válida.', en: 'The URL is not valid.' },
  targetUrlScheme: { es: 'La URL debe usar http o https.', en: 'The URL must use http or https.' },
  targetUrlCredentials: { es: 'La URL no puede llevar usuario ni contraseña.', en: 'The URL cannot carry a user name or password.' },
  targetUrlTooLong: { es: 'La URL es demasiado larga (máximo 500 caracteres).', en: 'The URL is too long (500 characters at most).' },
  targetUrlPrivate: {
    es: 'La URL apunta a una dirección privada o local; en producción no está permitido.',
    en: 'The URL points to a private or local address, which production does not allow.',
  },
  targetUrlLocalName: {
    es: 'La URL apunta a un nombre local; en producción no está permitido.',
    en: 'The URL points to a local name, which production does not allow.',
  },
  targetUrlResolvesPrivate: {
    es: 'La URL resuelve a una dirección privada o local; en producción no está permitido.',
    en: 'The URL resolves to a private or local address, which production does not allow.',
  },
  // The body and the URL (src/http/shared/body.ts, errors.ts).
  bodyInvalid: { es: 'El cuerpo de la solicitud no es válido.', en: 'The request body is not valid.' },
  bodyTooLarge: { es: 'El cuerpo de la solicitud es demasiado grande.', en: 'The request body is too large.' },
  bodyTooDeep: { es: 'Los campos anidan demasiados niveles.', en: 'The fields are nested too deeply.' },
  bodyTooManyFields: { es: 'La solicitud tiene demasiados campos.', en: 'The request has too many fields.' },
  fileTooLarge: { es: 'El archivo supera el tamaño máximo de 1 MB.', en: 'The file is larger than the 1 MB maximum.' },
  tooManyParts: { es: 'La solicitud tiene demasiados campos o archivos.', en: 'The request has too many fields or files.' },
  multipartInvalid: { es: 'El cuerpo multipart no es válido.', en: 'The multipart body is not valid.' },
  nulCharacter: { es: 'El texto no puede contener el carácter nulo (U+0000).', en: 'The text cannot contain the null character (U+0000).' },
  badCharacters: { es: 'El texto contiene caracteres no válidos.', en: 'The text has characters that are not valid.' },
  mediaType: { es: 'Tipo de contenido no soportado: use JSON, formulario o multipart.', en: 'Unsupported content type: use JSON, a form or multipart.' },
  jsonEmpty: { es: 'El cuerpo JSON está vacío.', en: 'The JSON body is empty.' },
  jsonInvalid: { es: 'El cuerpo JSON no es válido.', en: 'The JSON body is not valid.' },
  idempotencyKey: {
    es: 'La clave de idempotencia debe tener de 1 a 255 caracteres visibles.',
    en: 'The idempotency key must have 1 to 255 visible characters.',
  },
  badRequest: { es: 'Solicitud no válida.', en: 'The request is not valid.' },
  urlInvalid: { es: 'La dirección (URL) no es válida.', en: 'The address (URL) is not valid.' },
  urlTooLong: { es: 'La dirección (URL) es demasiado larga.', en: 'The address (URL) is too long.' },
  routeNotFound: { es: 'Recurso no encontrado.', en: 'Not found.' },
  methodNotAllowed: { es: 'Método no permitido.', en: 'This method is not allowed here.' },
  serverError: { es: 'Error interno del servidor.', en: 'Internal server error.' },
  // Who is asking (src/http/shared/auth.ts, kernel errors' defaults).
  notFound: { es: 'No encontrado.', en: 'Not found.' },
  unauthorized: { es: 'Token de acceso inválido o vencido.', en: 'The access token is not valid or expired.' },
  forbidden: { es: 'No tiene permiso para acceder a este recurso.', en: 'You are not allowed to access this.' },
  signInRequired: { es: 'Inicie sesión para continuar.', en: 'Sign in to continue.' },
  csrf: { es: 'Falta el token CSRF o no es válido.', en: 'The CSRF token is missing or not valid. Reload the page.' },
  operatorOnly: { es: 'Solo el operador puede hacer esto.', en: 'Only the operator can do this.' },
  samePage: { es: 'La solicitud debe hacerse desde esta misma página.', en: 'The request must be sent from this same page.' },
  signInSamePage: { es: 'El inicio de sesión debe hacerse desde esta misma página.', en: 'Sign in from this same page.' },
} as const satisfies Record<string, Record<RuleLang, string>>;

export type CommonCode = `common.${keyof typeof COMMON_MESSAGES}`;
