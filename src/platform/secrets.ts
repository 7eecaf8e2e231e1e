// Hashing, random tokens and encryption at rest. Random tokens are stored as SHA-256 hashes
// (they carry enough entropy); passwords and PINs use scrypt; secrets the console must show
// again are sealed with AES-256-GCM under the master key, which never enters the database.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import pLimit from 'p-limit';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from './config.ts';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

const ALPHANUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export function randomCode(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const b = bytes[i % bytes.length]!;
    if (b < 256 - (256 % ALPHANUM.length)) out += ALPHANUM[b % ALPHANUM.length];
    if (i > length * 8) return out + randomCode(length - out.length);
  }
  return out;
}

// scrypt cost: passwords get the interactive-login cost; PINs (4 digits, so the lockout is
// the real defence) a cheaper one so that paying with a PIN stays fast.
const COSTS = { password: 1 << 14, pin: 1 << 12 } as const;
export type SecretKind = keyof typeof COSTS;

// scrypt runs in libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise),
// which also runs the SQLite log's fsync every answer waits for (store/group-sync.ts) and file
// I/O. A flood of sign-ins must not fill it: at most two hashes run at once, the rest wait
// here, in JavaScript, so the other threads stay free and other requests keep moving.
const hashing = pLimit(2);

function scryptAsync(secret: string, salt: Buffer, N: number): Promise<Buffer> {
  return hashing(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(secret, salt, 32, { N, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

export async function hashSecret(secret: string, kind: SecretKind): Promise<string> {
  const salt = randomBytes(16);
  const N = COSTS[kind];
  const key = await scryptAsync(secret, salt, N);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64'), Number(n));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to compare against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashSecret('not-a-password', 'password');
  return dummyHash;
}

export class Keyring {
  /**
   * Names the key without revealing it (the first 16 hex digits of its SHA-256): stored beside
   * what it seals, so a value sealed under another key is told apart from a damaged one.
   */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('master key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('sealed value is malformed');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // The one way this happens short of tampering: another master key than the one that
      // sealed the deployment's secrets. Said so, for the operator who set it.
      throw new ConfigError(
        'PASARELA_MASTER_KEY does not open the secrets stored in this database: it is not the key they were sealed with',
        'PASARELA_MASTER_KEY no abre los secretos guardados en esta base de datos: no es la clave con que se sellaron',
      );
    }
  }
}

/** Production takes the key from PASARELA_MASTER_KEY; sandbox generates one in DATA_DIR. */
export function loadKeyring(config: Config): Keyring {
  if (config.masterKey) {
    const key = Buffer.from(config.masterKey, 'base64');
    if (key.length !== 32) {
      throw new ConfigError('PASARELA_MASTER_KEY must decode (base64) to 32 bytes', 'PASARELA_MASTER_KEY debe decodificar (base64) a 32 bytes');
    }
    return new Keyring(key);
  }
  if (config.environment === 'production')
    throw new ConfigError('PASARELA_MASTER_KEY is required in production', 'PASARELA_MASTER_KEY es obligatoria en producción');
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'master.key');
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return new Keyring(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
}
