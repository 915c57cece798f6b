import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { AppConfig } from '../../config/env';

// A group robot's URL is typed by an administrator and then fetched by the worker
// from inside the network. Unchecked, that is a server-side request forgery: an
// admin (or a stolen admin session) could point a robot at the cloud's metadata
// service or an internal admin page. Two fences, both applied when the URL is saved
// *and* again at every send:
//
// 1. the host must be on the provider's allow-list (NOTIFY_WEBHOOK_HOSTS);
// 2. every address the host resolves to must be public — checked inside the socket's
//    own DNS lookup, so a name that resolves to a public address when saved and to
//    127.0.0.1 when sent (DNS rebinding) is refused at connect time.
//
// NOTIFY_WEBHOOK_ALLOW_PRIVATE=true lifts the second fence (and allows plain http)
// for tests and labs whose robot receiver runs on loopback; the allow-list stays.

/** The providers a group robot can be. */
export const ROBOT_PROVIDERS = ['wecom', 'dingtalk'] as const;
/** A group robot's provider. */
export type RobotProvider = (typeof ROBOT_PROVIDERS)[number];

/** What a robot URL is checked against. */
export interface WebhookPolicy {
  /** The hosts each provider's robots may live on (lower case, exact match). */
  hosts: Readonly<Record<string, readonly string[]>>;
  /** Whether private, loopback and link-local addresses (and plain http) are allowed. */
  allowPrivate: boolean;
}

/** The policy the configuration sets. */
export function webhookPolicy(config: Pick<AppConfig, 'NOTIFY_WEBHOOK_HOSTS' | 'NOTIFY_WEBHOOK_ALLOW_PRIVATE'>): WebhookPolicy {
  return { hosts: config.NOTIFY_WEBHOOK_HOSTS, allowPrivate: config.NOTIFY_WEBHOOK_ALLOW_PRIVATE };
}

/** IPv4 ranges no robot lives in: `[network address, prefix length]`. */
const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT; Alibaba Cloud's metadata service is 100.100.100.200
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local; AWS/GCP/Azure/Tencent metadata at 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function blockedV4(ip: string): boolean {
  const n = v4ToNumber(ip);
  return BLOCKED_V4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = v4ToNumber(base);
    return n >= start && n < start + size;
  });
}

/** An IPv6 address as its eight 16-bit groups (`isIP` already said it is one). */
function v6Groups(ip: string): number[] {
  let text = ip.replace(/%.*$/, '').toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const n = v4ToNumber(quad[1]!);
    text = text.slice(0, -quad[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

function blockedV6(ip: string): boolean {
  const g = v6Groups(ip);
  const embeddedV4 = () => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64): judged by the IPv4 inside.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return blockedV4(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return blockedV4(embeddedV4());
  if (g.slice(0, 6).every((x) => x === 0)) return true; // ::, ::1, IPv4-compatible
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7 (fd00:ec2::254 is AWS's metadata)
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // site-local fec0::/10
    (first & 0xff00) === 0xff00 || // multicast
    first === 0x2002 || // 6to4: an IPv4 behind it is not checked, so not reached
    (first === 0x2001 && g[1] === 0x0db8) || // documentation
    (first === 0x2001 && g[1] === 0x0000) || // Teredo
    (first === 0x0100 && g.slice(1, 4).every((x) => x === 0)) // discard-only 100::/64
  );
}

/**
 * Whether an address is one a group robot may be reached at: false for loopback,
 * private, carrier-grade NAT, link-local (cloud metadata), unique-local, multicast,
 * documentation and reserved ranges, and for IPv4-mapped forms of those.
 */
export function isPublicAddress(ip: string): boolean {
  const kind = isIP(ip.replace(/^\[|\]$/g, ''));
  if (kind === 4) return !blockedV4(ip);
  if (kind === 6) return !blockedV6(ip.replace(/^\[|\]$/g, ''));
  return false;
}

/**
 * Why a robot URL is refused by its form alone (scheme, host, credentials), or
 * undefined when it passes. No network: the address check is {@link resolveAndCheck}.
 */
export function urlRefusal(provider: string, url: string, policy: WebhookPolicy): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && policy.allowPrivate)) return 'must be an https URL';
  if (u.username || u.password) return 'must not carry a user name or password';
  const host = u.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const allowed = policy.hosts[provider] ?? [];
  if (!allowed.includes(host)) {
    return `host ${host} is not a ${provider} robot host (allowed: ${allowed.join(', ') || 'none'}; see NOTIFY_WEBHOOK_HOSTS)`;
  }
  if (isIP(host) && !policy.allowPrivate && !isPublicAddress(host)) return `address ${host} is private, loopback or link-local`;
  return undefined;
}

/** A DNS lookup as `net.connect` calls it (the `lookup` option of http.request). */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** The error a guarded lookup fails with; its message names no address. */
export class BlockedAddressError extends Error {
  readonly code = 'EWEBHOOKBLOCKED';
  constructor(host: string) {
    super(`host ${host} resolves to a private, loopback or link-local address`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * A DNS lookup for the socket that refuses a host when any address it resolves
 * to is not public. Used as `http.request`'s `lookup`, so the address checked is
 * the address connected to: no second resolution an attacker's DNS could change.
 */
export function guardedLookup(policy: WebhookPolicy, lookup: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const all = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (!policy.allowPrivate && all.some((a) => !isPublicAddress(a))) {
        return callback(new BlockedAddressError(hostname), Array.isArray(address) ? [] : '', family);
      }
      callback(null, address, family);
    });
  };
}

/**
 * The save-time check: {@link urlRefusal}, then the host's current addresses. A name
 * that does not resolve now is accepted (DNS may be down, or the host offline in a
 * test): every send checks again where it connects.
 */
export async function webhookUrlRefusal(
  provider: string,
  url: string,
  policy: WebhookPolicy,
  lookup: LookupFunction = dnsLookup as unknown as LookupFunction,
): Promise<string | undefined> {
  const refusal = urlRefusal(provider, url, policy);
  if (refusal || policy.allowPrivate) return refusal;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return undefined;
  const addresses = await new Promise<string[]>((resolve) =>
    lookup(host, { all: true }, (err, address) => resolve(err ? [] : Array.isArray(address) ? address.map((a) => a.address) : [address])),
  );
  return addresses.some((a) => !isPublicAddress(a)) ? `host ${host} resolves to a private, loopback or link-local address` : undefined;
}
