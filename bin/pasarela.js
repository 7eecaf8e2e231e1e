#!/usr/bin/env node
// The `pasarela` command: runs the compiled server (dist/, built by `npm run build:server`,
// which `npm ci` runs through `prepare`). Development runs the sources: `npm run dev`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  const es = !/^en/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '');
  process.stderr.write(
    es
      ? 'pasarela: falta el código compilado (dist/). Ejecute `npm run build:server` (o `npm ci`).\n'
      : 'pasarela: the compiled code (dist/) is missing. Run `npm run build:server` (or `npm ci`).\n',
  );
  process.exit(1);
}
const { run } = await import(entry.href);
await run(process.argv.slice(2));
