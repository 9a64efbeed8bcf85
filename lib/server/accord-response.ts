// The server's response class (node:http's `ServerResponse` option). It adds
// one thing: headers that go out with the answer's head, whichever way the
// head is written (writeHead, or implicitly by write/end).
//
// Why: a JSON fast path's security headers were set with setHeader before the
// path ran, and its writeHead then merged its own headers into them. Node
// validates and stores each header on both steps: about 10 µs per answer, a
// tenth of the hot status read's server time (docs/benchmarks.md, "Service
// API", "Headers in one step"). With preset headers the head is written in
// one step, from one flat list, and a fast path still cannot answer without
// the security headers: Node writes every head through writeHead.
import {
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from "node:http";

type HeaderList = (string | number | readonly string[])[];

export class AccordResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  /**
   * Sent with the head, before the headers the answer gives (flat: name,
   * value, name, value…). A header the answer gives itself replaces the
   * preset one of the same name. Null: none (the ordinary ServerResponse).
   */
  presetHeaders: readonly string[] | null = null;

  override writeHead(
    statusCode: number,
    reasonOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    const preset = this.presetHeaders;
    const reason = typeof reasonOrHeaders === "string" ? reasonOrHeaders : undefined;
    const given = typeof reasonOrHeaders === "string" ? headers : reasonOrHeaders;
    if (preset === null) return super.writeHead(statusCode, reason, given);
    return super.writeHead(statusCode, reason, withPreset(preset, given) as OutgoingHttpHeader[]);
  }
}

/** The preset headers the answer did not give itself, then the answer's, as one flat list. */
function withPreset(
  preset: readonly string[],
  given: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined,
) {
  const list: HeaderList = [];
  const names: string[] = [];
  if (Array.isArray(given)) {
    // Flat [name, value, …], or [[name, value], …].
    if (given.length > 0 && Array.isArray(given[0])) {
      for (const pair of given as unknown as [string, string][]) list.push(pair[0], pair[1]);
    } else for (const item of given) list.push(item as string);
  } else if (given) {
    for (const name in given) {
      const value = given[name];
      if (value !== undefined) list.push(name, value);
    }
  }
  for (let i = 0; i < list.length; i += 2) names.push(String(list[i]).toLowerCase());
  const head: HeaderList = [];
  for (let i = 0; i < preset.length; i += 2) {
    if (names.length === 0 || !names.includes(preset[i]!.toLowerCase()))
      head.push(preset[i]!, preset[i + 1]!);
  }
  for (const item of list) head.push(item);
  return head;
}
