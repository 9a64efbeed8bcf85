import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, compileTrustedProxies, peerAddress } from "@/lib/server/client-address";

const requestFrom = (socket: { remoteAddress?: string }, headers: Record<string, string> = {}) =>
  ({ socket, headers, connection: socket }) as unknown as IncomingMessage;

describe("peerAddress", () => {
  it("answers what clientAddress answers for an untrusted peer, once per connection", () => {
    const nobody = compileTrustedProxies([]);
    const socket = { remoteAddress: "::ffff:192.0.2.7" };
    const forged = requestFrom(socket, { "x-forwarded-for": "203.0.113.9" });
    expect(peerAddress(forged)).toBe("192.0.2.7");
    expect(peerAddress(forged)).toBe(clientAddress(forged, nobody));
    // The connection's peer cannot change: a later request on it gets the same answer.
    expect(peerAddress(requestFrom(socket))).toBe("192.0.2.7");
    expect(peerAddress(requestFrom({ remoteAddress: "2001:db8:0:0:0:0:0:1" }))).toBe("2001:db8::1");
    expect(peerAddress(requestFrom({}))).toBe("unknown");
  });
});
