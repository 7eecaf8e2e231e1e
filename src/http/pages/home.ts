// The landing page at `/`: what this deployment is and where to go next: the web console
// (sign in or create an account), the API reference and, in sandbox, the demo credentials.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { html, layout, pickLang } from './html.ts';

export async function homeRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const lang = pickLang(request);
    reply.header('vary', 'accept-language');
    const sandbox = ctx.config.environment === 'sandbox';
    const body =
      lang === 'en'
        ? html`<h1>Pasarela</h1>
            <p>Payment platform — <strong>${sandbox ? 'sandbox' : 'production'}</strong> environment.</p>
            <p><a class="button" href="/console/signin">Sign in to the console</a></p>
            <p>New here? <a href="/console/signup">Create an account</a> (a business account takes payments with the API).</p>
            <ul>
              <li><a href="/docs">API reference</a> (wallet API, console API${sandbox ? ', sandbox helpers' : ''})</li>
              ${sandbox ? html`<li><a href="/examples/card-checkout?lang=en">Example card checkout</a> (a shop's page with <code>/js/pasarela.js</code>)</li>` : ''}
              ${sandbox ? html`<li><a href="/p/terminal?lang=en">Virtual terminal</a> (a POS terminal to link with a pairing code)</li>` : ''}
              <li><a href="/healthz">Health</a> · <a href="/metrics">Metrics</a></li>
            </ul>
            ${sandbox ? html`<p class="note">Demo credentials: <code>npx pasarela demo</code></p>` : ''}`
        : html`<h1>Pasarela</h1>
            <p>Plataforma de pagos — ambiente <strong>${sandbox ? 'de pruebas (sandbox)' : 'productivo'}</strong>.</p>
            <p><a class="button" href="/console/signin">Entrar a la consola</a></p>
            <p>¿Primera vez? <a href="/console/signup">Cree una cuenta</a> (una cuenta empresarial cobra con el API).</p>
            <ul>
              <li><a href="/docs">Referencia del API</a> (API de billetera, API de consola${sandbox ? ', ayudas del sandbox' : ''})</li>
              ${sandbox ? html`<li><a href="/examples/card-checkout">Ejemplo de pago con tarjeta</a> (la página de una tienda con <code>/js/pasarela.js</code>)</li>` : ''}
              ${sandbox ? html`<li><a href="/p/terminal">Terminal virtual</a> (un terminal de punto de venta que se vincula con un código)</li>` : ''}
              <li><a href="/healthz">Salud</a> · <a href="/metrics">Métricas</a></li>
            </ul>
            ${sandbox ? html`<p class="note">Credenciales de demostración: <code>npx pasarela demo</code></p>` : ''}`;
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      )
      .header('x-content-type-options', 'nosniff');
    return layout(lang, 'Pasarela', body);
  });
}
