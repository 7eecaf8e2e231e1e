// The documented payment-button sale (the wallet contract's example, urlencoded), as the
// benchmarks and the sales crash test send it: 20.00 with tax 1.30.
export const SALE_FORM: Readonly<Record<string, string>> = {
  'paymentintent[intent]': 'sale',
  'paymentintent[redirectUrls][returnUrl]': 'http://localhost:4000/ok',
  'paymentintent[redirectUrls][cancelUrl]': 'http://localhost:4000/cancel',
  'paymentintent[transactions][0][amount][total]': '20',
  'paymentintent[transactions][0][amount][details][tax]': '1.3',
  'paymentintent[transactions][0][amount][details][subTotal]': '17.5',
  'paymentintent[transactions][0][description]': 'Compra por eBay',
  'paymentintent[transactions][0][items][0][name]': 'telefono',
  'paymentintent[transactions][0][items][0][price]': '7.5',
};
