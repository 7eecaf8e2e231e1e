/*
 * The example shop's checkout script: mount the card fields of /js/pasarela.js, and on submit
 * tokenize the card in the browser and post ONLY the token (and the product) to the shop's own
 * backend (`data-pay-url`, on this page's origin), which pays with it and answers the payment.
 */
(function () {
  'use strict';

  const form = document.getElementById('checkout');
  const button = document.getElementById('pay');
  const result = document.getElementById('result');
  const idleText = button.textContent;
  const pasarela = Pasarela(form.dataset.publicKey, { locale: form.dataset.locale });
  const card = pasarela.cardForm({ container: '#card-fields' });

  function busy(on) {
    button.disabled = on;
    button.textContent = on ? form.dataset.textPaying : idleText;
    button.classList.toggle('is-busy', on);
    form.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  function show(message, outcome) {
    result.textContent = message;
    result.className = `result ${outcome ? `result-${outcome}` : ''}`;
  }

  async function pay(token) {
    const response = await fetch(new URL(form.dataset.payUrl, location.href), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ token: token.id, product: form.dataset.product }),
    });
    const payment = await response.json().catch(() => null);
    if (!response.ok || !payment || !payment.status) throw new Error(form.dataset.textFailed);
    return payment;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    show('', '');
    busy(true);
    let done = false;
    try {
      const payment = await pay(await card.createToken());
      const approved = payment.status === 'approved';
      const number = approved ? ` ${form.dataset.textPaymentNumber.replace('{id}', payment.id)}` : '';
      show(pasarela.paymentMessage(payment) + number, approved ? 'approved' : payment.status === 'rejected' ? 'rejected' : 'pending');
      // A paid order is done: the card leaves the page. A declined one may be tried again.
      done = payment.status !== 'rejected';
      if (done) card.clear();
    } catch (error) {
      // Data-entry problems are already shown at their fields (and the first one focused).
      if (!(error.name === 'PasarelaError' && error.type === 'validation')) show(error.message || form.dataset.textFailed, 'rejected');
    } finally {
      busy(false);
      if (done) button.disabled = true;
    }
  });
})();
