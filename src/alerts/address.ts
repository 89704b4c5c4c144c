import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Destination checks for webhooks (server-side request forgery guard).
 *
 * - At creation: http or https only, a host, no credentials in the URL (`checkWebhookUrl`).
 * - At send time: the host name is resolved here (every address, IPv4 and IPv6) and the request is pinned to
 *   an address that passed the check, so a DNS answer cannot change between the check and the connection.
 *   Loopback, private, link-local, carrier-grade NAT, unspecified, multicast and reserved addresses are refused
 *   unless `MODQC_WEBHOOK_ALLOW_HOSTS` lists the host name or a CIDR (or address) containing the address.
 */

/** Ranges that a webhook may not reach unless explicitly allowed. */
const DENIED_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // private (RFC 1918)
  ["100.64.0.0", 10], // carrier-grade NAT (RFC 6598)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata lives here)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const DENIED_V6: [string, number][] = [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const denied = new BlockList();
for (const [address, prefix] of DENIED_V4) denied.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of DENIED_V6) denied.addSubnet(address, prefix, "ipv6");

/** Marks an address inside the local-use NAT64 prefix whose layout is not the /96 one: what it reaches is unknown. */
const UNKNOWN_V4 = Symbol("unknown IPv4");

/** The eight 16-bit groups of an IPv6 address (a zone `%eth0` is dropped), or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (isIP(text) !== 6) return undefined;
  // A trailing dotted quad (::ffff:127.0.0.1) is the last two groups.
  text = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => {
    const high = (Number(a) << 8) | Number(b);
    const low = (Number(c) << 8) | Number(d);
    return `${high.toString(16)}:${low.toString(16)}`;
  });
  const double = text.indexOf("::");
  let parts: string[];
  if (double < 0) parts = text.split(":");
  else {
    const left = text.slice(0, double);
    const right = text.slice(double + 2);
    const head = left ? left.split(":") : [];
    const tail = right ? right.split(":") : [];
    parts = [...head, ...Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
  }
  const groups = parts.map((part) => Number.parseInt(part, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

const dotted = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
const zero = (groups: number[], from: number, to: number) => groups.slice(from, to).every((g) => g === 0);

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach an IPv4 host:
 * - IPv4-mapped `::ffff:a.b.c.d` and IPv4-compatible `::a.b.c.d` (also `::7f00:1`; `::` and `::1` give
 *   0.0.0.0 and 0.0.0.1, in the refused 0.0.0.0/8),
 * - IPv4-translated (SIIT) `::ffff:0:a.b.c.d`,
 * - NAT64: the well-known prefix `64:ff9b::/96` and the local-use `64:ff9b:1::/48` with the /96 layout (the
 *   address in the last 32 bits). Other layouts inside `64:ff9b:1::/48` (RFC 6052 /48, /56, /64 prefixes) are
 *   ambiguous: `UNKNOWN_V4`, refused unless allowed,
 * - 6to4 `2002::/16`: the address in bits 16–48,
 * - Teredo `2001:0::/32`: the client's address is the last 32 bits inverted.
 * Undefined for every other IPv6 address (and for text that is not one).
 */
function carriedV4(address: string): string | typeof UNKNOWN_V4 | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  if (zero(g, 0, 5) && (g[5] === 0 || g[5] === 0xffff)) return dotted(g[6], g[7]);
  if (zero(g, 0, 4) && g[4] === 0xffff && g[5] === 0) return dotted(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    if (zero(g, 2, 6)) return dotted(g[6], g[7]);
    if (g[2] === 1) return zero(g, 3, 6) ? dotted(g[6], g[7]) : UNKNOWN_V4;
    return undefined;
  }
  if (g[0] === 0x2002) return dotted(g[1], g[2]);
  if (g[0] === 0x2001 && g[1] === 0) return dotted(g[6] ^ 0xffff, g[7] ^ 0xffff);
  return undefined;
}

/** An IPv6 address without its zone, as BlockList takes it. */
const withoutZone = (address: string) => address.replace(/%.*$/, "");

export interface AllowList {
  hosts: Set<string>;
  networks: BlockList;
  entries: string[];
}

/**
 * Parses MODQC_WEBHOOK_ALLOW_HOSTS: comma-separated host names, addresses and CIDRs
 * (`hooks.internal, 127.0.0.1, 10.20.0.0/16, fd00::/8`).
 * @throws {Error} for a CIDR whose address or prefix length is invalid
 */
export function parseAllowList(text: string | undefined): AllowList {
  const list: AllowList = { hosts: new Set(), networks: new BlockList(), entries: [] };
  for (const raw of (text ?? "").split(",")) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, "");
    if (!entry) continue;
    list.entries.push(entry);
    const slash = entry.indexOf("/");
    if (slash >= 0) {
      const address = entry.slice(0, slash);
      const prefix = Number(entry.slice(slash + 1));
      const family = isIP(address);
      const max = family === 4 ? 32 : 128;
      if (
        family === 0 ||
        !Number.isInteger(prefix) ||
        prefix < 0 ||
        prefix > max ||
        !/^\d+$/.test(entry.slice(slash + 1))
      ) {
        throw new Error(`"${raw.trim()}" is not a valid CIDR`);
      }
      list.networks.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
    } else if (isIP(entry)) {
      list.networks.addAddress(entry, isIP(entry) === 4 ? "ipv4" : "ipv6");
      list.hosts.add(entry);
    } else {
      list.hosts.add(entry);
    }
  }
  return list;
}

/**
 * Whether an address is in a range webhooks may not reach by default. An IPv6 address that carries an IPv4
 * address (`carriedV4`) is refused when that IPv4 address is.
 */
export function isRestrictedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return denied.check(address, "ipv4");
  if (family === 6) {
    const v4 = carriedV4(address);
    if (v4 === UNKNOWN_V4) return true;
    if (v4 !== undefined && denied.check(v4, "ipv4")) return true;
    return denied.check(withoutZone(address), "ipv6");
  }
  return true; // not an address at all: refuse
}

function allowedByList(address: string, allow: AllowList): boolean {
  const family = isIP(address);
  if (family === 4) return allow.networks.check(address, "ipv4");
  if (family === 6) {
    const v4 = carriedV4(address);
    return (
      allow.networks.check(withoutZone(address), "ipv6") ||
      (typeof v4 === "string" && allow.networks.check(v4, "ipv4"))
    );
  }
  return false;
}

/** Why a URL cannot be a webhook destination, or undefined when it can (checked at creation). */
export function checkWebhookUrl(text: string): string | undefined {
  // The URL parser silently drops tabs and newlines and trims C0 controls: refuse them rather than store text
  // that is not the address used (and could split a header line wherever the URL is written).
  if (CONTROL.test(text))
    return "control characters (CR, LF, tab, other C0 or C1 controls, DEL) are not allowed";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "not an absolute URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "only http and https URLs are allowed";
  if (url.username || url.password) return "credentials in the URL are not allowed (use the signing secret)";
  if (!url.hostname) return "the URL has no host";
  return undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export class AddressRefused extends Error {
  override readonly name = "AddressRefused";
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the URL's host and returns the address to connect to: the first one that is not restricted or is
 * allowed. The request is then pinned to that address, so the other answers (say, a private one next to a
 * public one) are never contacted. A host listed by name in the allow list may use any of its addresses.
 * @throws {AddressRefused} when every address is restricted and none is allowed
 * @throws the resolver's error (ENOTFOUND, EAI_AGAIN…) when the name does not resolve: a network error
 */
export async function resolveDestination(
  url: URL,
  allow: AllowList,
  resolve: (host: string) => Promise<ResolvedAddress[]> = defaultResolve,
): Promise<ResolvedAddress> {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const hostAllowed = allow.hosts.has(host);
  const literal = isIP(host);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: host, family: literal as 4 | 6 }]
    : await resolve(host);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  if (hostAllowed) return addresses[0];
  const usable = addresses.find(
    ({ address }) => !isRestrictedAddress(address) || allowedByList(address, allow),
  );
  if (!usable) {
    throw new AddressRefused(
      `${host} resolves to ${addresses.map((a) => a.address).join(", ")}: loopback, private, link-local or reserved; list the host or address in MODQC_WEBHOOK_ALLOW_HOSTS to allow it`,
    );
  }
  return usable;
}

async function defaultResolve(host: string): Promise<ResolvedAddress[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
}
