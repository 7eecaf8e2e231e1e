// The ceiling: bare Fastify 5, one GET route returning a small JSON. No database, no auth,
// no logger, no plugins. Started by bench/server.ts (startCeiling) with PORT set.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/ping', async () => ({ ok: true, service: 'ceiling' }));

const port = Number(process.env.PORT ?? 0);
await app.listen({ port, host: '127.0.0.1' });
const close = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);
