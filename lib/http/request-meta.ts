import "server-only";
import { headers } from "next/headers";
import ipaddr from "ipaddr.js";
import { decodeHeaderText, truncateCodePoints, withoutControlCharacters } from "@/lib/http/header-text";
import { preferredLanguage } from "@/lib/http/locale";
import { CLIENT_ADDRESS_HEADER, isServedByAccordServer } from "@/lib/server/internal-headers";

export interface RequestMeta {
  /** Client address with the host part removed (IPv4 /24, IPv6 /48): evidence without tracking. */
  ipTruncated: string | null;
  /** The full address, used only for rate limiting and never stored. */
  ip: string;
  userAgent: string | null;
  /** The browser's most preferred language, a BCP 47 tag of at most 35 characters. */
  locale: string | null;
  /** Global Privacy Control: the browser sent `Sec-GPC: 1`. */
  gpc: boolean;
}

export const MAX_USER_AGENT_LENGTH = 512;

/**
 * The network part of an address, in RFC 5952 form: IPv4 keeps /24, IPv6 /48
 * (a zone id such as %eth0 is dropped: it names an interface of ours, not the
 * client). Null for anything that is not an address.
 */
export function truncateIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const text = ip.trim();
  if (!ipaddr.IPv4.isValidFourPartDecimal(text) && !ipaddr.IPv6.isValid(text)) return null;
  const address = ipaddr.process(text);
  const bytes = address.toByteArray();
  const keep = address.kind() === "ipv4" ? 3 : 6;
  const masked = bytes.map((byte, i) => (i < keep ? byte : 0));
  return ipaddr.fromByteArray(masked).toString();
}

/**
 * Evidence about a request. The address comes only from the custom server's
 * internal header (socket, then TRUSTED_PROXIES; see lib/server), never from
 * X-Forwarded-For directly.
 */
export function requestMetaFrom(h: Headers, trustAddressHeader = isServedByAccordServer()): RequestMeta {
  const ip = (trustAddressHeader && h.get(CLIENT_ADDRESS_HEADER)) || "unknown";
  const agent = h.get("user-agent");
  const userAgent = agent === null ? "" : withoutControlCharacters(decodeHeaderText(agent)).trim();
  return {
    ip,
    ipTruncated: truncateIp(ip),
    userAgent: userAgent ? truncateCodePoints(userAgent, MAX_USER_AGENT_LENGTH) : null,
    locale: preferredLanguage(decodeHeaderText(h.get("accept-language") ?? "")),
    gpc: h.get("sec-gpc")?.trim() === "1",
  };
}

export async function requestMeta(): Promise<RequestMeta> {
  return requestMetaFrom(await headers());
}
