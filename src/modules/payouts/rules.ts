// The payout item's messages in both languages, pure: the server answers in Spanish and the web
// console shows a CSV upload's per-line problems in English when English is on.
import { COMMON_MESSAGES, type RuleLang } from '../../kernel/messages.ts';

export const PAYOUT_MESSAGES = {
  required: COMMON_MESSAGES.required,
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
  // A file that cannot be read as a whole (the Spanish text names the column, line or limit).
  csvMissing: {
    es: 'Envíe el archivo como text/csv, como archivo `file` (multipart) o en el campo `csv`.',
    en: 'Send the file as text/csv, as a multipart `file` or in the `csv` field.',
  },
  fileEmpty: {
    es: 'El archivo está vacío: descargue la plantilla y complete una fila por pago.',
    en: 'The file is empty: download the template and fill in one row per payment.',
  },
  columnRepeated: { es: 'Una columna está repetida.', en: 'A column appears twice in the first line.' },
  columnsMissing: {
    es: 'Faltan columnas en la primera línea. La primera línea nombra las columnas: descargue la plantilla.',
    en: 'Columns are missing from the first line, which names the columns: download the template.',
  },
  fileNoPayments: {
    es: 'El archivo no tiene pagos: complete una fila por pago debajo de los nombres de las columnas.',
    en: 'The file has no payments: fill in one row per payment below the column names.',
  },
  fileTooManyLines: { es: 'El archivo tiene demasiadas líneas.', en: 'The file has too many lines for one batch.' },
  unclosedQuote: { es: 'El archivo tiene una comilla sin cerrar.', en: 'The file has a quotation mark that is never closed.' },
  // The bank's answer, line by line, and what an item's state allows.
  answerReference: { es: 'La referencia del registro no es válida.', en: 'The item’s reference is not valid.' },
  answerStatus: { es: 'El estado debe ser PAID o FAILED.', en: 'The status must be PAID or FAILED.' },
  itemSubmitted: { es: 'El registro ya fue enviado.', en: 'The item was already submitted.' },
  itemNotSubmitted: { es: 'El lote del registro aún no ha sido enviado.', en: 'The item’s batch has not been submitted yet.' },
  itemFailed: { es: 'El registro ya fue marcado como fallido y su dinero devuelto.', en: 'The item was already marked failed and its money returned.' },
  batchNotFound: { es: 'Lote no encontrado.', en: 'Batch not found.' },
} as const satisfies Record<string, Record<RuleLang, string>>;
