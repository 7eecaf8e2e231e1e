// The virtual terminal's script: a terminal's loop over the device-side API only (the calls a
// real terminal makes). Kept in localStorage: the pairing secret while it waits to be linked,
// then the credential, and the intent whose result is on screen (so a reload resumes there).
// Every screen change is announced (role=status) and moves focus to the screen's heading.
export const TERMINAL_JS = `
(function () {
  'use strict';
  var root = document.getElementById('vt');
  if (!root) return;
  var locale = root.getAttribute('data-locale') || 'es-VE';
  var KEY = 'pasarela.terminal.';
  var flow = 0;
  var shown = null;

  var store = {
    get: function (k) { try { return localStorage.getItem(KEY + k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(KEY + k, v); } catch (e) { /* private mode: this page only */ } },
    del: function (k) { try { localStorage.removeItem(KEY + k); } catch (e) { /* idem */ } }
  };
  function word(name) { return root.getAttribute('data-' + name) || ''; }
  function $(id) { return document.getElementById(id); }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function money(pi) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: pi.currency_id, currencyDisplay: 'code' }).format(pi.amount_text);
    } catch (e) {
      return pi.amount_text + ' ' + pi.currency_id;
    }
  }

  function problem(message) {
    var p = $('problem');
    p.textContent = message || '';
    p.hidden = !message;
  }

  /** Show one screen; a new screen starts a new flow, so loops of the old one stop. */
  function show(name, announce) {
    flow++;
    problem('');
    var sections = root.querySelectorAll('section[data-screen]');
    var heading = null;
    for (var i = 0; i < sections.length; i++) {
      var on = sections[i].getAttribute('data-screen') === name;
      sections[i].hidden = !on;
      if (on) heading = sections[i].querySelector('h1');
    }
    if (shown !== null && heading) heading.focus();
    shown = name;
    $('live').textContent = announce || (heading ? heading.textContent : '');
    return flow;
  }

  function fillIntent(pi) {
    var fields = root.querySelectorAll('[data-field]');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i].getAttribute('data-field');
      fields[i].textContent = !pi ? '' : f === 'amount' ? money(pi) : pi.description || '';
    }
  }

  async function call(method, path, body, token) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = 'Bearer ' + token;
    for (;;) {
      try {
        var res = await fetch('/point/device' + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
        var data = null;
        try { data = await res.json(); } catch (e) { data = null; }
        return { status: res.status, body: data };
      } catch (e) {
        problem(word('offline'));
        await sleep(3000);
      }
    }
  }
  function device(method, path, body) { return call(method, path, body, store.get('credential')); }
  function refusal(r) { return (r.body && r.body.message) || word('generic-error'); }

  // --- linking -------------------------------------------------------------------------

  async function register() {
    store.del('credential');
    store.del('intent');
    var r = await call('POST', '/register', {});
    if (r.status !== 201) { problem(refusal(r)); await sleep(5000); return register(); }
    store.set('pairing', r.body.pairing_secret);
    return waitForLink(r.body.pairing_secret, r.body);
  }

  function showPairing(p) {
    if (shown !== 'pairing') show('pairing');
    $('pairing-code').textContent = p.pairing_code;
    $('pairing-expires').textContent = new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(p.expires_at));
  }

  async function waitForLink(secret, first) {
    if (first) showPairing(first);
    for (;;) {
      var r = await call('POST', '/activate', undefined, secret);
      if (r.status === 200 && r.body.status === 'linked') {
        store.del('pairing');
        store.set('credential', r.body.credential);
        return ready();
      }
      if (r.status === 200) { showPairing(r.body); await sleep(1500); continue; }
      // Expired, or linked with the credential already collected elsewhere: start over.
      store.del('pairing');
      await sleep(1000);
      return register();
    }
  }

  function unlinked() {
    store.del('credential');
    store.del('intent');
    show('unlinked');
  }

  // --- charging -------------------------------------------------------------------------

  async function ready() {
    var saved = store.get('intent');
    if (saved) {
      var r = await device('GET', '/payment-intents/' + encodeURIComponent(saved));
      if (r.status === 401) return unlinked();
      if (r.status === 200 && ['PROCESSED', 'CONFIRMATION_REQUIRED', 'ERROR'].indexOf(r.body.state) >= 0) return showResult(r.body);
      store.del('intent');
    }
    return idle();
  }

  async function describe() {
    var r = await device('GET', '/me');
    if (r.status !== 200) return r.status;
    $('device-id').textContent = r.body.id;
    $('device-till').textContent = r.body.external_pos_id || '—';
    $('standalone').hidden = r.body.operating_mode === 'PDV';
    return 200;
  }

  async function idle(notice) {
    var mine = show('idle');
    if (notice) problem(notice);
    fillIntent(null);
    if ((await describe()) === 401) return unlinked();
    for (;;) {
      var r = await device('GET', '/payment-intents/next?wait=10');
      if (mine !== flow) return;
      if (r.status === 401) return unlinked();
      if (r.status !== 200) { problem(refusal(r)); await sleep(3000); continue; }
      if (r.body.payment_intent) return route(r.body.payment_intent);
      // The integrator may have switched the mode meanwhile.
      if ((await describe()) === 401) return unlinked();
    }
  }

  function route(pi) {
    if (pi.state === 'OPEN') return showIntent(pi);
    if (pi.state === 'ON_TERMINAL') return showCard(pi);
    if (pi.state === 'PROCESSING') return awaitOutcome(pi);
    return showResult(pi);
  }

  var current = null;

  async function showIntent(pi) {
    current = pi;
    fillIntent(pi);
    var take = $('take');
    take.disabled = false;
    take.textContent = take.getAttribute('data-label') || take.textContent;
    var mine = show('intent', root.querySelector('section[data-screen=intent] h1').textContent + ': ' + money(pi));
    // Until the cashier takes it, the integrator may cancel it or it may expire.
    for (;;) {
      await sleep(2000);
      if (mine !== flow) return;
      var r = await device('GET', '/payment-intents/' + encodeURIComponent(pi.id));
      if (mine !== flow) return;
      if (r.status === 401) return unlinked();
      if (r.status === 200 && r.body.state !== 'OPEN') return r.body.state === 'CANCELED' || r.body.state === 'ABANDONED' ? idle(word('canceled')) : route(r.body);
    }
  }

  function showCard(pi) {
    current = pi;
    fillIntent(pi);
    var swipe = $('swipe');
    swipe.disabled = false;
    swipe.textContent = swipe.getAttribute('data-label') || swipe.textContent;
    show('card');
  }

  async function awaitOutcome(pi) {
    current = pi;
    fillIntent(pi);
    var mine = show('processing');
    for (;;) {
      await sleep(1000);
      var r = await device('GET', '/payment-intents/' + encodeURIComponent(pi.id));
      if (mine !== flow) return;
      if (r.status === 401) return unlinked();
      if (r.status === 200 && r.body.state !== 'PROCESSING') return route(r.body);
    }
  }

  function outcomeTitle(pi) {
    if (pi.state === 'ERROR') return word('error');
    if (pi.state === 'CONFIRMATION_REQUIRED') return word('pending');
    var state = pi.payment && pi.payment.state;
    if (state === 'approved') return word('approved');
    if (state === 'cancelled') return word('reversed');
    if (state === 'in_process') return word('pending');
    return word('rejected');
  }

  function showResult(pi) {
    current = pi;
    store.set('intent', pi.id);
    fillIntent(pi);
    var title = outcomeTitle(pi);
    $('result-title').textContent = title;
    var approved = pi.state === 'PROCESSED' && pi.payment && pi.payment.state === 'approved';
    root.querySelector('section[data-screen=result]').className = approved ? 'outcome-ok' : 'outcome-bad';
    $('result-payment').textContent = pi.payment && pi.payment.id ? word('payment') + ' ' + pi.payment.id : '';
    // A PROCESSED intent (approved or not) ends with its receipt; the others go back to waiting.
    $('confirm').hidden = pi.state !== 'PROCESSED';
    $('confirm').disabled = false;
    $('result-ok').hidden = pi.state === 'PROCESSED';
    show('result', title + ': ' + money(pi));
  }

  function busy(button) {
    if (!button.getAttribute('data-label')) button.setAttribute('data-label', button.textContent);
    button.disabled = true;
    button.textContent = button.getAttribute('data-busy-text') || button.textContent;
  }

  $('take').addEventListener('click', async function () {
    var pi = current;
    busy(this);
    // A flow of its own: the intent screen's watch stops, and a late answer changes nothing.
    var mine = ++flow;
    var r = await device('POST', '/payment-intents/' + encodeURIComponent(pi.id) + '/take');
    if (mine !== flow) return;
    if (r.status === 401) return unlinked();
    if (r.status !== 200) return idle(refusal(r));
    showCard(r.body);
  });

  $('card-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    var form = this;
    var pi = current;
    var card = form.querySelector('input[name=card]:checked');
    var holder = form.querySelector('input[name=cardholder]:checked');
    var swipe = $('swipe');
    if (swipe.disabled) return;
    busy(swipe);
    var read = await device('POST', '/payment-intents/' + encodeURIComponent(pi.id) + '/card-tokens', {
      card_number: card.getAttribute('data-number'),
      expiration_month: 11,
      expiration_year: Number(form.getAttribute('data-expiry-year')),
      security_code: card.getAttribute('data-csc'),
      cardholder: { name: holder.value }
    });
    if (read.status === 401) return unlinked();
    if (read.status === 409) return idle(refusal(read));
    if (read.status !== 201) { showCard(pi); return problem(refusal(read)); }
    var paid = await device('POST', '/payment-intents/' + encodeURIComponent(pi.id) + '/payment', { token: read.body.id });
    if (paid.status === 401) return unlinked();
    if (paid.status === 200) return showResult(paid.body);
    // Still ON_TERMINAL after a refused token: another card may be tried.
    var now = await device('GET', '/payment-intents/' + encodeURIComponent(pi.id));
    if (now.status === 200 && now.body.state === 'ON_TERMINAL') { showCard(now.body); return problem(refusal(paid)); }
    return idle(refusal(paid));
  });

  $('confirm').addEventListener('click', async function () {
    var pi = current;
    busy(this);
    var r = await device('POST', '/payment-intents/' + encodeURIComponent(pi.id) + '/confirm');
    if (r.status === 401) return unlinked();
    store.del('intent');
    if (r.status !== 200) return idle(refusal(r));
    fillIntent(r.body);
    show('done');
  });

  $('result-ok').addEventListener('click', function () { store.del('intent'); idle(); });
  $('done-ok').addEventListener('click', function () { idle(); });
  $('register-again').addEventListener('click', function () { show('boot'); register(); });

  // --- start ----------------------------------------------------------------------------

  var fragment = new URLSearchParams(location.hash.slice(1)).get('credential');
  if (fragment) {
    store.set('credential', fragment);
    store.del('pairing');
    store.del('intent');
    // Out of the address bar: it is not to be copied along with the page's address.
    history.replaceState(null, '', location.pathname + location.search);
  }
  show('boot');
  if (store.get('credential')) ready();
  else if (store.get('pairing')) waitForLink(store.get('pairing'));
  else register();
})();
`;
