// The client's address: the socket's peer, unless that peer is a proxy named
// in TRUSTED_PROXIES, in which case X-Forwarded-For is read from the right,
// hop by hop, for as long as the hops are trusted (proxy-addr). A client can
// therefore never choose its own address by sending X-Forwarded-For.
import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";

export type TrustProxy = (address: string, hop: number) => boolean;

const trustNobody: TrustProxy = () => false;

/**
 * Compiles TRUSTED_PROXIES: IPv4/IPv6 addresses, CIDR ranges, or proxy-addr's
 * names "loopback", "linklocal", "uniquelocal". Throws on a malformed entry.
 */
export function compileTrustedProxies(entries: readonly string[]): TrustProxy {
  return entries.length === 0 ? trustNobody : proxyaddr.compile([...entries]);
}

/** Splits the TRUSTED_PROXIES variable; empty means "trust no proxy". */
export function parseTrustedProxies(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** True when the socket's peer is a trusted proxy (its forwarded headers may be believed). */
export function peerIsTrusted(request: IncomingMessage, trust: TrustProxy): boolean {
  const peer = request.socket.remoteAddress;
  return peer !== undefined && trust(peer, 0);
}

/** The address to rate-limit and (truncated) to record as evidence. */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
  const address = request.socket.remoteAddress === undefined ? "" : proxyaddr(request, trust);
  return normalizeAddress(address);
}

const peerAddresses = new WeakMap<object, string>();

/**
 * clientAddress for a request whose peer is not a trusted proxy: the socket's
 * own address, normalised once per connection (a kept-alive connection
 * carries many requests; its peer cannot change).
 */
export function peerAddress(request: IncomingMessage): string {
  const socket = request.socket;
  let address = peerAddresses.get(socket);
  if (address === undefined) {
    address = normalizeAddress(socket.remoteAddress ?? "");
    if (socket.remoteAddress !== undefined) peerAddresses.set(socket, address);
  }
  return address;
}

/**
 * One spelling per address: IPv4-mapped IPv6 (::ffff:192.0.2.1) becomes IPv4,
 * IPv6 is written in RFC 5952 form, and an IPv6 zone id (fe80::1%eth0) is
 * kept. Anything that is not an address becomes "unknown".
 */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  // Only the usual spellings: ipaddr.js would also read "127.1" or "0x7f.0.0.1".
  if (!ipaddr.IPv4.isValidFourPartDecimal(trimmed) && !ipaddr.IPv6.isValid(trimmed)) return "unknown";
  return ipaddr.process(trimmed).toString();
}
