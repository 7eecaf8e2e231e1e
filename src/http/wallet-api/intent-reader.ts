// Reads the wallet API's `paymentintent` form (mPandco field names, decimal amounts, bracket
// lists) into the module's typed IntentForm. Every problem is collected with its path so the
// answer shows them all at once, as the contract's error tree does.
import { ValidationError, type FieldError } from '../../kernel/errors.ts';
import { isCurrency, MAX_AMOUNT_MINOR, parseAmount, sumMinor, type Currency } from '../../kernel/money.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import {
  INTENT_LIMITS,
  type IntentDistribution,
  type IntentForm,
  type IntentItem,
  type IntentKind,
  type IntentTransaction,
} from '../../modules/wallet-intents/index.ts';

const MAX_TRANSACTIONS = INTENT_LIMITS.transactions;

// Control characters (except tab and line breaks) weigh six bytes each in JSON and mean nothing
// in a name or description; NUL is refused earlier, for every field.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
}

function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return [v];
  return undefined;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && value.length <= INTENT_LIMITS.urlChars && !CONTROL.test(value);
  } catch {
    return false;
  }
}

/**
 * Read the `paymentintent` tree. Every problem is collected with its path (relative to the
 * form root) so the answer shows them all at once, as the contract's error tree does.
 */
export function parseIntentForm(raw: unknown, newId: () => string): IntentForm {
  const form = obj(raw);
  const errors: FieldError[] = [];
  const add = (path: (string | number)[], message: string) => errors.push({ path: path.map(String), message });
  /** A text within its maximum, without control characters; an error is collected otherwise. */
  const bounded = (value: string, max: number, path: (string | number)[]): string => {
    if (value.length > max) add(path, `Este valor es demasiado largo. Debería tener ${max} caracteres o menos.`);
    else if (CONTROL.test(value)) add(path, 'El texto contiene caracteres de control no permitidos.');
    return value;
  };
  let itemCount = 0;
  let distributionCount = 0;
  const tryAmount = (value: unknown, currency: Currency, path: (string | number)[], allowZero: boolean): number => {
    try {
      return parseAmount(value, currency, { path: path.map(String), allowZero });
    } catch (error) {
      if (error instanceof ValidationError) errors.push(...error.fieldErrors);
      else throw error;
      return 0;
    }
  };
  /** A required amount: `missing` when absent, otherwise parsed exactly (0 on error). */
  const requiredAmount = (value: unknown, currency: Currency, path: (string | number)[], missing: string, allowZero: boolean): number => {
    if (value === undefined || value === '') {
      add(path, missing);
      return 0;
    }
    return tryAmount(value, currency, path, allowZero);
  };

  const intent = text(form.intent);
  if (!intent) add(['intent'], COMMON_MESSAGES.required.es);
  else if (intent !== 'sale' && intent !== 'request') add(['intent'], 'El valor seleccionado no es una opción válida.');

  const redirect = obj(form.redirectUrls);
  const returnUrl = text(redirect.returnUrl);
  const cancelUrl = text(redirect.cancelUrl);
  if (!returnUrl) add(['redirectUrls', 'returnUrl'], 'La URI de retorno es obligatoria.');
  else if (!isHttpUrl(returnUrl)) add(['redirectUrls', 'returnUrl'], 'La URI de retorno no es válida.');
  if (!cancelUrl) add(['redirectUrls', 'cancelUrl'], 'La URI de cancelación es obligatoria.');
  else if (!isHttpUrl(cancelUrl)) add(['redirectUrls', 'cancelUrl'], 'La URI de cancelación no es válida.');

  const recipient = text(form.recipient) || null;
  if (intent === 'request' && !recipient) add(['recipient'], 'El destinatario es obligatorio para una solicitud de pago.');

  const list = asList(form.transactions);
  const transactions: IntentTransaction[] = [];
  if (!list || list.length === 0) add(['transactions'], 'Debe indicar al menos una transacción.');
  else if (list.length > MAX_TRANSACTIONS) add(['transactions'], `Esta colección debe contener ${MAX_TRANSACTIONS} elementos o menos.`);
  else {
    list.forEach((entry, n) => {
      const t = obj(entry);
      const at = (...rest: (string | number)[]) => ['transactions', n, ...rest];
      const amount = obj(t.amount);
      const currencyText = text(amount.currency).toUpperCase() || 'VES';
      let currency: Currency = 'VES';
      if (!isCurrency(currencyText)) add(at('amount', 'currency'), 'La moneda no es válida.');
      else currency = currencyText;
      const totalMinor = requiredAmount(amount.total, currency, at('amount', 'total'), 'El monto total es obligatorio.', false);
      const details = obj(amount.details);
      const opt = (v: unknown, path: (string | number)[]) => (v === undefined || v === null || v === '' ? undefined : tryAmount(v, currency, path, true));
      const shippingMinor = opt(details.shipping, at('amount', 'details', 'shipping')) ?? 0;
      const taxMinor = opt(details.tax, at('amount', 'details', 'tax')) ?? 0;
      const givenSubTotal = opt(details.subTotal, at('amount', 'details', 'subTotal'));

      const description = text(t.description);
      if (!description) add(at('description'), 'La descripción es obligatoria.');
      else bounded(description, INTENT_LIMITS.descriptionChars, at('description'));
      const invoiceNumber = bounded(text(t.invoiceNumber), INTENT_LIMITS.invoiceNumberChars, at('invoiceNumber')) || null;
      const destination = text(t.digitalAccountDestination) || null;

      const itemList = asList(t.items);
      const items: IntentItem[] = [];
      itemCount += itemList?.length ?? 0;
      if (!itemList || itemList.length === 0) add(at('items'), 'Debe indicar al menos un artículo.');
      else if (itemCount > INTENT_LIMITS.items) add(at('items'), `La intención de pago admite ${INTENT_LIMITS.items} artículos o menos en total.`);
      else {
        itemList.forEach((rawItem, m) => {
          const item = obj(rawItem);
          const name = text(item.name);
          if (!name) add(at('items', m, 'name'), 'El nombre del artículo es obligatorio.');
          else bounded(name, INTENT_LIMITS.itemNameChars, at('items', m, 'name'));
          const sku = bounded(text(item.sku), INTENT_LIMITS.skuChars, at('items', m, 'sku'));
          const priceMinor = requiredAmount(item.price, currency, at('items', m, 'price'), 'El precio del artículo es obligatorio.', true);
          const quantityText = text(item.quantity) || '1';
          const quantity = /^\d{1,6}$/.test(quantityText) ? Number(quantityText) : NaN;
          if (!Number.isInteger(quantity) || quantity < 1) add(at('items', m, 'quantity'), 'La cantidad debe ser un número entero mayor que cero.');
          const itemCurrency = text(item.currency).toUpperCase() || currency;
          if (itemCurrency !== currency) add(at('items', m, 'currency'), 'La moneda del artículo debe ser la de la transacción.');
          items.push({ name, quantity: Number.isInteger(quantity) ? quantity : 1, priceMinor, sku: sku || null, currency });
        });
      }

      const distList = t.distributions === undefined || t.distributions === '' ? [] : asList(t.distributions);
      const distributions: IntentDistribution[] = [];
      distributionCount += distList?.length ?? 0;
      if (!distList) add(at('distributions'), 'Este valor no es válido.');
      else if (distributionCount > INTENT_LIMITS.distributions)
        add(at('distributions'), `La intención de pago admite ${INTENT_LIMITS.distributions} distribuciones o menos en total.`);
      else {
        distList.forEach((rawDist, k) => {
          const d = obj(rawDist);
          const dest = text(d.digitalAccountDestination);
          if (!dest) add(at('distributions', k, 'digitalAccountDestination'), 'La cuenta destino de la distribución es obligatoria.');
          const amountMinor = requiredAmount(d.amount, currency, at('distributions', k, 'amount'), 'El monto de la distribución es obligatorio.', false);
          const distributionDescription = bounded(text(d.description), INTENT_LIMITS.distributionDescriptionChars, at('distributions', k, 'description'));
          distributions.push({ destination: dest, amountMinor, description: distributionDescription });
        });
        const distributed = sumMinor(distributions.map((d) => d.amountMinor));
        if (totalMinor > 0 && distributed > totalMinor) add(at('distributions'), 'La suma de las distribuciones no puede superar el monto de la transacción.');
      }

      const lineTotals = items.map((i) => i.priceMinor * i.quantity);
      const derivedSubTotal = lineTotals.every(Number.isSafeInteger) ? lineTotals.reduce((a, b) => a + b, 0) : Infinity;
      const subTotalMinor = givenSubTotal ?? derivedSubTotal;
      if (!(subTotalMinor + taxMinor + shippingMinor <= MAX_AMOUNT_MINOR)) add(at('amount'), 'El monto excede el máximo permitido.');
      transactions.push({
        id: newId(),
        currency,
        totalMinor,
        details: { shippingMinor, taxMinor, subTotalMinor },
        description,
        invoiceNumber,
        destination,
        items,
        distributions,
      });
    });
  }

  const currencies = new Set(transactions.map((t) => t.currency));
  if (currencies.size > 1) add(['transactions'], 'Todas las transacciones deben usar la misma moneda.');
  if (errors.length) throw new ValidationError(errors);
  const currency = transactions[0]!.currency;
  const amountMinor = sumMinor(transactions.map((t) => t.totalMinor));
  if (amountMinor > MAX_AMOUNT_MINOR) throw new ValidationError([{ path: ['transactions'], message: 'El monto excede el máximo permitido.' }]);
  return { intent: intent as IntentKind, returnUrl, cancelUrl, transactions, recipient, currency, amountMinor };
}
