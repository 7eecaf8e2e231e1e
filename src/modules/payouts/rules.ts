// The payout item's messages in both languages, pure: the server answers in Spanish and the web
// console shows a CSV upload's per-line problems in English when English is on.
type RuleLang = 'es' | 'en';

export const PAYOUT_MESSAGES = {
  required: { es: 'Este valor no debería estar vacío.', en: 'This value should not be blank.' },
  type: { es: 'El tipo debe ser DISPERSION o DISPERSION_INSTANT_INTERBANK.', en: 'The type must be DISPERSION or DISPERSION_INSTANT_INTERBANK.' },
  identification: {
    es: 'El número de identificación no es válido: use la letra V, E, J, G o P seguida de los dígitos (por ejemplo J54637469).',
    en: 'The identification number is not valid: use the letter V, E, J, G or P followed by the digits (for example J54637469).',
  },
  accountFormat: { es: 'El número de cuenta debe tener 20 dígitos.', en: 'The account number must have 20 digits.' },
  bankNotFound: { es: 'No se ha encontrado un banco para el numero de cuenta ingresado', en: 'No bank was found for the account number entered.' },
  nameCharacters: { es: 'El nombre del titular contiene caracteres no permitidos.', en: 'The account holder’s name has characters that are not allowed.' },
  referenceRepeated: {
    es: 'La referencia ya está en una línea anterior del archivo o en el lote pendiente: la línea no se registró otra vez.',
    en: 'The reference is already on an earlier line of the file or in the pending batch: the line was not registered again.',
  },
  referenceCharacters: { es: 'La referencia contiene caracteres no permitidos.', en: 'The reference has characters that are not allowed.' },
} as const satisfies Record<string, Record<RuleLang, string>>;
