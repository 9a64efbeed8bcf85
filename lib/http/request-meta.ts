import "server-only";
import { headers } from "next/headers";
import { isIP } from "node:net";

export interface RequestMeta {
  /** Client address with the host part removed (IPv4 /24, IPv6 /48): evidence without tracking. */
  ipTruncated: string | null;
  /** The full address, used only for rate limiting and never stored. */
  ip: string;
  userAgent: string | null;
  locale: string | null;
  /** Global Privacy Control: the browser sent `Sec-GPC: 1`. */
  gpc: boolean;
}

export function truncateIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const address = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(address) === 4) return address.split(".").slice(0, 3).concat("0").join(".");
  if (isIP(address) === 6) {
    const [head = ""] = address.split("::");
    const groups = head.split(":").filter(Boolean).slice(0, 3);
    while (groups.length < 3) groups.push("0");
    return `${groups.join(":")}::`;
  }
  return null;
}

export function requestMetaFrom(h: Headers): RequestMeta {
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || h.get("x-real-ip") || "unknown";
  const language = h.get("accept-language")?.split(",")[0]?.split(";")[0]?.trim() || null;
  return {
    ip,
    ipTruncated: truncateIp(ip),
    userAgent: h.get("user-agent")?.slice(0, 512) ?? null,
    locale: language,
    gpc: h.get("sec-gpc")?.trim() === "1",
  };
}

export async function requestMeta(): Promise<RequestMeta> {
  return requestMetaFrom(await headers());
}
