// Outgoing calls to merchant-chosen URLs (webhooks) must not reach the platform's own network.
// In production every address a name resolves to is checked when the connection is made
// (a DNS answer that changed since registration is caught), and IP literals before that.
// Sandbox allows them, so receivers on localhost work during development.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';
import { COMMON_MESSAGES, type CommonCode } from '../kernel/messages.ts';

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(readonly address: string) {
    super(`destino no permitido: ${address} es una dirección privada, de loopback o link-local`);
  }
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  // Local-use NAT64 (RFC 8215): translated by the operator's own gateway, never public.
  ['64:ff9b:1::', 48],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 included). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(Math.max(8 - left.length - right.length, 0)).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

/**
 * An IPv4 address hidden in an IPv6 one: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, SIIT
 * ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d, and 6to4 2002:AABB:CCDD::/48 — in any spelling
 * (the URL parser writes [::127.0.0.1] as [::7f00:1]).
 */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (g.length !== 8 || g.some((x) => !Number.isInteger(x))) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return v4(g[6]!, g[7]!); // ::a.b.c.d, ::ffff:a.b.c.d
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!); // ::ffff:0:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return v4(g[6]!, g[7]!); // 64:ff9b::/96
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!); // 6to4
  return undefined;
}

/** Private, loopback, link-local, multicast, reserved or unspecified? */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(bare, 'ipv6');
  }
  return true; // not an address at all: refuse
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Resolver = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true, verbatim: true }, callback);

/** A `net.connect` lookup that refuses the connection when any resolved address is blocked. */
export function guardedLookup(resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback) => {
    const all = typeof options === 'object' && options !== null && options.all === true;
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, all ? [] : '');
      if (!addresses.length) return callback(Object.assign(new Error(`${hostname} no resuelve a ninguna dirección`), { code: 'ENOTFOUND' }), all ? [] : '');
      const bad = addresses.find((a) => isBlockedAddress(a.address));
      if (bad) return callback(new BlockedAddressError(bad.address) as NodeJS.ErrnoException, all ? [] : '');
      if (all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Refuse an IP-literal target before connecting (the lookup hook never sees literals). */
export function assertAllowedLiteral(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isBlockedAddress(host)) throw new BlockedAddressError(host);
}

export interface OutboundAgentOptions {
  /** Refuse private targets (production). */
  guard: boolean;
  connections?: number;
  resolver?: Resolver;
}

/** The undici dispatcher for webhook calls: keep-alive, no redirects, guarded lookups. */
export function outboundAgent(options: OutboundAgentOptions): Agent {
  return new Agent({
    connections: options.connections ?? 8,
    keepAliveTimeout: 10_000,
    connect: {
      timeout: 10_000,
      ...(options.guard ? { lookup: guardedLookup(options.resolver) as never } : {}),
    },
  });
}

/**
 * Where a registered URL may point: http(s) only, no credentials in it, and in production no
 * private or loopback host (checked again at every connection, see guardedLookup).
 */
export async function checkTargetUrl(raw: string, production: boolean, resolve: Resolver = systemResolver): Promise<UrlProblem | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return problem('targetUrlInvalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem('targetUrlScheme');
  if (url.username || url.password) return problem('targetUrlCredentials');
  if (raw.length > 500) return problem('targetUrlTooLong');
  if (!production) return undefined;
  // "localhost." is "localhost": a name's trailing dot (the DNS root) changes nothing.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host)) return isBlockedAddress(host) ? problem('targetUrlPrivate') : undefined;
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return problem('targetUrlLocalName');
  const addresses = await new Promise<LookupAddress[] | undefined>((done) => resolve(host, (error, list) => done(error ? undefined : list)));
  if (addresses?.some((a) => isBlockedAddress(a.address))) return problem('targetUrlResolvesPrivate');
  return undefined;
}

/** What is wrong with a URL: the Spanish text and its code (src/kernel/messages.ts), as a field error carries them. */
export interface UrlProblem {
  message: string;
  code: CommonCode;
}

function problem(key: keyof typeof COMMON_MESSAGES & `targetUrl${string}`): UrlProblem {
  return { message: COMMON_MESSAGES[key].es, code: `common.${key}` };
}
