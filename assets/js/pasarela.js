/*
 * Pasarela.js — card fields on a merchant's page, tokenized from the buyer's browser straight to
 * Pasarela with the merchant's public key: the page hands its server a token, never the card.
 *
 *   const pasarela = Pasarela('TEST-…', { locale: 'es' });
 *   const card = pasarela.cardForm({ container: '#card-fields' });
 *   const { id } = await card.createToken();   // send `id` to your server, which pays with it
 *
 * Plain JavaScript, no dependencies, no inline styles (works under a strict CSP). The fields
 * have no `name`, so even a form posted without JavaScript never carries the card. The server
 * fills in RULES below (brands by BIN, messages, texts) from its own card rules when serving.
 */
(function () {
  'use strict';

  const RULES = __PASARELA_RULES__;

  // The API lives where this script came from (currentScript exists only while it first runs).
  const SCRIPT = document.currentScript;
  const SCRIPT_ORIGIN = SCRIPT && SCRIPT.src ? new URL(SCRIPT.src, location.href).origin : location.origin;
  const BRANDS = RULES.brands.map((b) => Object.assign({}, b, { regex: new RegExp(b.pattern) }));
  const own = (object, key) => typeof key === 'string' && Object.prototype.hasOwnProperty.call(object, key);
  let mounts = 0;

  function brandOf(digits) {
    return BRANDS.find((b) => b.regex.test(digits)) || null;
  }

  function pickLocale(asked) {
    const lang = asked || document.documentElement.lang || navigator.language || 'es';
    return /^en\b/i.test(lang) ? 'en' : 'es';
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) if (value !== undefined && value !== null) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  /** An error the page can tell apart: `type` is 'validation' (shown at the fields), 'network' or 'api'. */
  function pasarelaError(type, message, extra) {
    const error = new Error(message);
    error.name = 'PasarelaError';
    error.type = type;
    return Object.assign(error, extra);
  }

  /** Card number digits in groups as printed on the card: 4-6-5 for 15 digits, else by fours. */
  function groupDigits(digits, brand) {
    const gaps = brand && brand.lengths.length === 1 && brand.lengths[0] === 15 ? [4, 10] : [4, 8, 12, 16];
    let out = '';
    for (let i = 0; i < digits.length; i++) out += (gaps.includes(i) ? ' ' : '') + digits[i];
    return out;
  }

  /** Rewrite an input's value, keeping the caret after the same number of digits. */
  function reformat(input, format) {
    const before = input.value;
    const caret = input.selectionStart === null ? before.length : input.selectionStart;
    const digitsBeforeCaret = before.slice(0, caret).replace(/\D/g, '').length;
    const after = format(before);
    if (after === before) return;
    input.value = after;
    if (document.activeElement !== input || caret === before.length) return;
    let position = 0;
    for (let seen = 0; position < after.length && seen < digitsBeforeCaret; position++) if (/\d/.test(after[position])) seen++;
    input.setSelectionRange(position, position);
  }

  /** "MM/AA", "MM/AAAA" or "MMAA" → { month, year } as typed (the server checks them). */
  function splitExpiry(value) {
    const parts = value.split('/');
    if (parts.length >= 2) return { month: parts[0].trim(), year: parts[1].trim() };
    const digits = value.replace(/\D/g, '');
    return { month: digits.slice(0, 2), year: digits.slice(2) };
  }

  const FIELD_SPECS = {
    number: { autocomplete: 'cc-number', inputmode: 'numeric', maxlength: '23' },
    expiry: { autocomplete: 'cc-exp', inputmode: 'numeric', maxlength: '7' },
    securityCode: { autocomplete: 'cc-csc', inputmode: 'numeric', maxlength: '4' },
    name: { autocomplete: 'cc-name', maxlength: '60', autocapitalize: 'characters' },
    docType: { autocomplete: 'off', select: true },
    docNumber: { autocomplete: 'off', maxlength: '20' },
  };

  function cardForm(publicKey, baseUrl, locale, options) {
    const container = typeof options.container === 'string' ? document.querySelector(options.container) : options.container;
    if (!container || typeof container.appendChild !== 'function') throw new Error('Pasarela: the container of the card fields was not found.');
    const text = RULES.text[locale];
    const prefix = `pasarela-${++mounts}-`;
    const names = RULES.fields.filter((name) => options.identification || (name !== 'docType' && name !== 'docNumber'));
    const root = element('div', { class: 'pasarela-card', 'data-brand': '' });
    const fields = {};
    let brand = null;
    let pending = null;

    for (const name of names) {
      const spec = FIELD_SPECS[name];
      const id = prefix + name;
      const wrapper = element('div', { class: `pasarela-field pasarela-field-${name}` });
      wrapper.appendChild(element('label', { for: id, class: 'pasarela-label' }, text[name]));
      let input;
      if (spec.select) {
        input = element('select', { id, autocomplete: spec.autocomplete, class: 'pasarela-input' });
        for (const type of RULES.identificationTypes) input.appendChild(element('option', { value: type.id }, type.name));
      } else {
        input = element('input', {
          id,
          type: 'text',
          class: 'pasarela-input',
          autocomplete: spec.autocomplete,
          inputmode: spec.inputmode,
          maxlength: spec.maxlength,
          autocapitalize: spec.autocapitalize,
          spellcheck: 'false',
          placeholder: name === 'expiry' ? text.expiryPlaceholder : undefined,
        });
      }
      wrapper.appendChild(input);
      const field = { name, wrapper, input, hint: null, error: element('p', { id: `${id}-error`, class: 'pasarela-error', hidden: '' }) };
      if (name === 'number') {
        field.brand = element('span', { id: `${id}-brand`, class: 'pasarela-brand', 'aria-live': 'polite' });
        wrapper.insertBefore(field.brand, input.nextSibling);
      }
      if (name === 'securityCode') {
        field.hint = element('p', { id: `${id}-hint`, class: 'pasarela-hint' });
        wrapper.appendChild(field.hint);
      }
      wrapper.appendChild(field.error);
      fields[name] = field;
      describe(field);
      input.addEventListener('input', (event) => {
        clearError(field);
        if (name === 'number') onNumber();
        if (name === 'expiry') reformat(input, (value) => formatExpiry(value, event.inputType));
        if (name === 'securityCode') reformat(input, (value) => value.replace(/\D/g, '').slice(0, brand ? brand.securityCodeLength : 4));
      });
    }
    container.appendChild(root);
    for (const name of names) root.appendChild(fields[name].wrapper);
    setBrand(null);

    function describe(field) {
      const ids = [field.hint && field.hint.id, field.error.hidden ? null : field.error.id].filter(Boolean);
      if (ids.length) field.input.setAttribute('aria-describedby', ids.join(' '));
      else field.input.removeAttribute('aria-describedby');
    }

    function showError(field, message) {
      field.error.textContent = message;
      field.error.hidden = false;
      field.input.setAttribute('aria-invalid', 'true');
      field.wrapper.classList.add('pasarela-invalid');
      describe(field);
    }

    function clearError(field) {
      if (field.error.hidden) return;
      field.error.textContent = '';
      field.error.hidden = true;
      field.input.removeAttribute('aria-invalid');
      field.wrapper.classList.remove('pasarela-invalid');
      describe(field);
    }

    function setBrand(next) {
      const changed = (next && next.id) !== (brand && brand.id);
      brand = next;
      fields.number.brand.textContent = brand ? fill(text.brand, { brand: brand.name }) : '';
      root.setAttribute('data-brand', brand ? brand.id : '');
      const length = brand ? brand.securityCodeLength : 3;
      fields.securityCode.input.setAttribute('maxlength', String(brand ? brand.securityCodeLength : 4));
      fields.securityCode.hint.textContent = fill(brand && brand.securityCodeLocation === 'front' ? text.securityCodeFront : text.securityCodeBack, {
        n: length,
      });
      if (changed && typeof options.onBrandChange === 'function') options.onBrandChange(brand ? { id: brand.id, name: brand.name } : null);
    }

    function onNumber() {
      const input = fields.number.input;
      const found = brandOf(input.value.replace(/\D/g, ''));
      const max = found ? Math.max.apply(null, found.lengths) : 19;
      reformat(input, (value) => groupDigits(value.replace(/\D/g, '').slice(0, max), found));
      setBrand(found);
    }

    function formatExpiry(value, inputType) {
      const deleting = /^delete/.test(inputType || '');
      // "1/" is January: a one-digit month closed by a slash.
      let digits = value
        .replace(/^(\d)\s*\//, '0$1/')
        .replace(/\D/g, '')
        .slice(0, 6);
      if (!deleting && digits.length === 1 && digits > '1') digits = `0${digits}`;
      return digits.length > 2 || (digits.length === 2 && !deleting) ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
    }

    function cardBody() {
      const expiry = splitExpiry(fields.expiry.input.value);
      const body = {
        card_number: fields.number.input.value.replace(/\D/g, ''),
        expiration_month: expiry.month,
        expiration_year: expiry.year,
        security_code: fields.securityCode.input.value.trim(),
        cardholder: { name: fields.name.input.value.trim() },
      };
      if (fields.docType) body.cardholder.identification = { type: fields.docType.input.value, number: fields.docNumber.input.value.trim() };
      return body;
    }

    /** Show each data-entry problem at its field (the first one per field) and focus the first. */
    function showProblems(codes) {
      const shown = [];
      for (const code of codes) {
        const field = fields[RULES.fieldOfProblem[code]];
        if (!field || shown.some((s) => s.field === field.name)) continue;
        const message = RULES.problems[code][locale];
        showError(field, message);
        shown.push({ code, field: field.name, message });
      }
      shown.sort((a, b) => names.indexOf(a.field) - names.indexOf(b.field));
      if (shown.length) fields[shown[0].field].input.focus();
      return shown;
    }

    async function tokenize() {
      for (const name of names) clearError(fields[name]);
      let response;
      try {
        response = await fetch(`${baseUrl}/v1/card_tokens?public_key=${encodeURIComponent(publicKey)}`, {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(cardBody()),
        });
      } catch (cause) {
        throw pasarelaError('network', text.network, { cause });
      }
      const answer = await response.json().catch(() => null);
      if (response.status === 201 && answer && answer.id) return answer;
      const codes = (answer && Array.isArray(answer.cause) ? answer.cause : []).map((c) => String(c.code)).filter((code) => own(RULES.problems, code));
      const shown = response.status === 400 ? showProblems(codes) : [];
      if (shown.length) throw pasarelaError('validation', shown[0].message, { causes: shown });
      // A wrong key or an unexpected answer is the integration's problem: the buyer gets a
      // plain sentence, the developer the status and Pasarela's own message.
      throw pasarelaError('api', text.unavailable, { status: response.status, detail: answer && answer.message });
    }

    const api = {
      /** Tokenize what the buyer typed: resolves with the card token (`id`, last four digits, brand…). */
      createToken() {
        if (!pending) pending = tokenize().finally(() => (pending = null));
        return pending;
      },
      /** The brand the number typed so far belongs to, or null. */
      brand: () => (brand ? { id: brand.id, name: brand.name } : null),
      /** Empty every field (after a payment, so the card does not stay on the page). */
      clear() {
        for (const name of names) {
          const input = fields[name].input;
          if (input.tagName === 'INPUT') input.value = '';
          clearError(fields[name]);
        }
        setBrand(null);
      },
      focus: () => fields[names[0]].input.focus(),
      unmount: () => root.remove(),
    };
    if (typeof options.onReady === 'function') Promise.resolve().then(() => options.onReady(api));
    return api;
  }

  /**
   * Pasarela(publicKey, { locale: 'es' | 'en', baseUrl }): the entry point. `locale` defaults to
   * the page's `lang`; `baseUrl` to the origin this script was loaded from.
   */
  function Pasarela(publicKey, options) {
    const settings = options || {};
    if (typeof publicKey !== 'string' || !publicKey) throw new Error('Pasarela: the public key is missing.');
    const locale = pickLocale(settings.locale);
    const baseUrl = String(settings.baseUrl || SCRIPT_ORIGIN).replace(/\/+$/, '');
    return {
      locale,
      cardForm: (formOptions) => cardForm(publicKey, baseUrl, locale, formOptions || {}),
      /** What to tell the buyer about a payment (`status`, `status_detail` of /v1/payments). */
      paymentMessage(payment) {
        const key = [payment && payment.status_detail, payment && payment.status].find((k) => own(RULES.outcomes, k)) || 'unknown';
        return RULES.outcomes[key][locale];
      },
    };
  }

  window.Pasarela = Pasarela;
})();
