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

/** The IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 IPv6 address. */
function embeddedV4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = lower.match(/^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) return dotted[1];
  const hex = lower.match(/^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (hex) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return undefined;
}

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

/** Whether an address is in a range webhooks may not reach by default. */
export function isRestrictedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return denied.check(address, "ipv4");
  if (family === 6) {
    const v4 = embeddedV4(address);
    if (v4 !== undefined) return denied.check(v4, "ipv4");
    return denied.check(address, "ipv6");
  }
  return true; // not an address at all: refuse
}

function allowedByList(address: string, allow: AllowList): boolean {
  const family = isIP(address);
  if (family === 4) return allow.networks.check(address, "ipv4");
  if (family === 6) {
    const v4 = embeddedV4(address);
    return allow.networks.check(address, "ipv6") || (v4 !== undefined && allow.networks.check(v4, "ipv4"));
  }
  return false;
}

/** Why a URL cannot be a webhook destination, or undefined when it can (checked at creation). */
export function checkWebhookUrl(text: string): string | undefined {
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
