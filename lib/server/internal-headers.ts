// What the custom server (lib/server) tells the app through request headers.
// The server deletes any copy a client sent before it sets its own, so the app
// can believe these values; nothing else may set them.

/** The client's address as the server worked it out (socket, then TRUSTED_PROXIES). */
export const CLIENT_ADDRESS_HEADER = "x-accord-client-address";

const SERVED = Symbol.for("accord.served-by-custom-server");

/** Called by the custom server when it starts, in the process that also runs Next. */
export function markServedByAccordServer(): void {
  (globalThis as Record<symbol, unknown>)[SERVED] = true;
}

/**
 * True when this process serves requests through lib/server. Otherwise (Next
 * started some other way) nobody strips a client's own copy of the internal
 * header, so the app must not believe it.
 */
export function isServedByAccordServer(): boolean {
  return (globalThis as Record<symbol, unknown>)[SERVED] === true;
}
