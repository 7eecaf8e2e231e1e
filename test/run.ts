// `npm test`: every test/**/*.test.ts under node:test (through tsx). The database is SQLite
// unless TEST_DB=postgres (or DATABASE_URL is set); CI runs the suite once on each.
// `npm test -- <substring>` runs only the files whose path contains it.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function find(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = find('test')
  .map((f) => relative('.', f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  process.stderr.write('no test files matched\n');
  process.exit(1);
}
const db = process.env.TEST_DB ?? (process.env.DATABASE_URL ? 'postgres' : 'sqlite');
process.stderr.write(`running ${files.length} test files on ${db}\n`);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DB: db },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
