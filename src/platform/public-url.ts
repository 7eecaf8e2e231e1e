// The public URL of the running deployment, as its last `pasarela start` announced it. A
// command run beside the server (`pasarela demo`, `listen`) usually has none of the server's
// PORT / PUBLIC_URL in its environment; without this it would print http://localhost:3000
// for a server that listens elsewhere.
import type { Ctx } from './context.ts';
import { getSetting, putSetting } from '../store/settings.ts';

const KEY = 'public_url';

/** Called by `pasarela start` once it listens. */
export async function announcePublicUrl(ctx: Ctx): Promise<void> {
  await putSetting(ctx.store.db, KEY, ctx.config.publicUrl);
}

/** The URL announced by the deployment's last start, else this process's configured one. */
export async function announcedPublicUrl(ctx: Ctx): Promise<string> {
  return (await getSetting(ctx.store.db, KEY)) ?? ctx.config.publicUrl;
}
