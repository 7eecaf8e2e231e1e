// The hosted checkout's contract details, over plain HTTP (the browser walk-through is
// test/e2e/checkout.test.ts): a cancel sends the buyer to cancel_url naming the intent
// (`paymentIntent=<id>`), before and after signing in, and in the sandbox helper's answer; the
// page speaks the browser's language (Accept-Language) when `lang` is absent, Spanish by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { createSale, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const CANCEL = 'http://localhost:4000/cancel';

/** The sign-in page: its form token (hidden field and cookie) and the page itself. */
async function signInPage(id: string, headers: Record<string, string> = {}, query = '') {
  const page = await http(w.server.url, 'GET', `/p/express-checkout/${id}/1${query}`, { headers });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.ok(csrf && cookie, 'a form token');
  return { page, csrf, cookie };
}

test('a cancel before signing in goes to cancel_url?paymentIntent=<id>', async () => {
  const intent = await createSale(w);
  const { csrf, cookie } = await signInPage(intent.id);
  const cancelled = await http(w.server.url, 'POST', `/p/express-checkout/${intent.id}/2`, { headers: { cookie }, form: { action: 'cancel', csrf } });
  assert.equal(cancelled.status, 303, cancelled.text);
  assert.equal(cancelled.headers.get('location'), `${CANCEL}?paymentIntent=${intent.id}`);
});

test('a signed-in buyer’s cancel rejects the intent and names it in the redirect; so does the sandbox helper', async () => {
  const buyer = w.demo.buyers[0]!;
  const intent = await createSale(w);
  const { csrf, cookie } = await signInPage(intent.id);
  const signedIn = await http(w.server.url, 'POST', `/p/express-checkout/${intent.id}/1`, {
    headers: { cookie },
    form: { login: buyer.username, password: buyer.password, csrf },
  });
  assert.equal(signedIn.status, 303, signedIn.text);
  const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const review = await http(w.server.url, 'GET', `/p/express-checkout/${intent.id}/2`, { headers: { cookie: session } });
  assert.equal(review.status, 200, review.text.slice(0, 300));
  const sessionCsrf = /name="csrf" value="([^"]+)"/.exec(review.text)![1]!;
  const cancelled = await http(w.server.url, 'POST', `/p/express-checkout/${intent.id}/2`, {
    headers: { cookie: session },
    form: { action: 'cancel', csrf: sessionCsrf },
  });
  assert.equal(cancelled.status, 303, cancelled.text);
  assert.equal(cancelled.headers.get('location'), `${CANCEL}?paymentIntent=${intent.id}`);
  const shown = await http(w.server.url, 'GET', `/api/payment-intent/show.json?id=${intent.id}`, { token: w.token });
  assert.equal(shown.body.state, 'rejected');

  const other = await createSale(w, { 'paymentintent[redirectUrls][cancelUrl]': 'https://tienda.example.com/carrito?orden=77' });
  const rejected = await http(w.server.url, 'POST', `/sandbox/payment-intents/${other.id}/reject`, { token: w.token, json: { payer: buyer.username } });
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal(rejected.body.cancelUrl, `https://tienda.example.com/carrito?orden=77&paymentIntent=${other.id}`);
});

test('the checkout follows Accept-Language when lang is absent; Spanish by default; lang wins', async () => {
  const intent = await createSale(w);
  const cases: [Record<string, string>, string, 'es' | 'en'][] = [
    [{}, '', 'es'],
    [{ 'accept-language': 'en-US,en;q=0.9' }, '', 'en'],
    [{ 'accept-language': 'fr-FR,en;q=0.8,es;q=0.9' }, '', 'es'],
    [{ 'accept-language': 'de-DE,en;q=0.5' }, '', 'en'],
    [{ 'accept-language': 'es-VE,es;q=0.9,en;q=0.8' }, '', 'es'],
    [{ 'accept-language': 'fr' }, '', 'es'],
    [{ 'accept-language': 'en' }, '?lang=es', 'es'],
    [{ 'accept-language': 'es' }, '?lang=en', 'en'],
  ];
  for (const [headers, query, lang] of cases) {
    const { page } = await signInPage(intent.id, headers, query);
    const what = `${JSON.stringify(headers)} ${query}`;
    assert.match(page.text, new RegExp(`<html lang="${lang}">`), what);
    assert.match(page.text, lang === 'en' ? /Sign in to pay/ : /Inicie sesión para pagar/, what);
    // the next steps keep the language the page settled on
    assert.match(page.text, new RegExp(`action="/p/express-checkout/${intent.id}/1\\?lang=${lang}"`), what);
    assert.match(page.headers.get('vary') ?? '', /accept-language/i, what);
  }
});
