// Server actions arrive as React "replies": a JSON text (fetch calls without
// files) or multipart form data, in which a string starting with "$" is not
// a string but an instruction to the decoder: "$1" or "$@1" point at another
// part of the body, "$Q1" builds a Map from one, "$B1" reads a Blob, "$0:a"
// follows a path. React's decoder (inside Next.js, before any action code
// runs) throws on references it cannot resolve and Next answers 500; a
// reference to the root makes the arguments cyclic. A legitimate client
// (React's own encoder) never sends a plain string starting with "$": it
// escapes it as "$$".
//
// The custom server therefore reads the body of every server-action request
// itself (bounded by the body limit), refuses with 400 a JSON reply that
// holds anything but plain values and the self-contained forms (escaped "$$",
// undefined, NaN, ±Infinity, -0, dates, bigints of at most 300 digits), and
// hands the bytes it read to Next as the request's `actionBody`, which Next's
// action handler reads instead of the (now consumed) request stream.
// Multipart replies (a form's FormData) are read as form data: the parts
// named by a number are the reply's JSON rows, checked the same way, where a
// FormData reference ("$K1", the form's own fields, named "1_…") is allowed
// too; the other parts are the form's values, which React does not decode.
// Our actions take plain values or a form: that is all React's encoder sends
// for them, so nothing a real client sends is refused.
import type { IncomingMessage } from "node:http";

/** What React's reply decoder accepts without looking anything up, by the character after "$". */
const SELF_CONTAINED = new Set(["$", "H", "I", "-", "N", "u", "D"]);
const BIGINT = /^-?\d{1,300}$/;
const MAX_DEPTH = 64;

/** Why a string in a JSON reply would make the decoder look elsewhere; null when it is a plain value. */
function stringProblem(value: string, allowFormData: boolean): string | null {
  if (value[0] !== "$") return null;
  const kind = value[1] ?? "";
  if (SELF_CONTAINED.has(kind)) return null;
  if (allowFormData && kind === "K") return null;
  if (kind === "n" && BIGINT.test(value.slice(2))) return null;
  return "a reference the request does not carry";
}

/**
 * Why a JSON-encoded action reply cannot be decoded on its own (a reference,
 * too deep, not JSON); null when it can. Walks without recursion.
 */
export function jsonReplyProblem(text: string, { allowFormData = false } = {}): string | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === "string") {
      const problem = stringProblem(value, allowFormData);
      if (problem) return problem;
    } else if (value !== null && typeof value === "object") {
      if (depth >= MAX_DEPTH) return "the arguments are nested too deeply";
      for (const item of Object.values(value)) stack.push({ value: item, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Why a multipart reply cannot be decoded on its own: not form data, no root
 * row, or a JSON row (a part named by a number, as React reads it) with a
 * problem; null when it can.
 */
export async function multipartReplyProblem(body: Buffer, contentType: string): Promise<string | null> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    return "the body is not form data";
  }
  let root = false;
  for (const [name, value] of form.entries()) {
    const row = Number(name); // React's own reading of a part's name (+name)
    if (name === "" || !Number.isInteger(row) || row < 0) continue;
    if (typeof value !== "string") return "a reply row is a file";
    if (row === 0) root = true;
    const problem = jsonReplyProblem(value, { allowFormData: true });
    if (problem) return problem;
  }
  return root ? null : "the reply has no root row";
}

/** A server-action call: Next's `Next-Action` header on a POST. */
export function isServerActionRequest(request: IncomingMessage): boolean {
  return request.method === "POST" && typeof request.headers["next-action"] === "string";
}

function isMultipart(request: IncomingMessage): boolean {
  return /^multipart\/form-data\b/i.test(request.headers["content-type"] ?? "");
}

/** The body, read whole (the server has already limited its length). */
export function readWholeBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

// Next's per-request metadata: where its action handler looks for a body read before it.
const NEXT_REQUEST_META = Symbol.for("NextInternalRequestMeta");

type WithMeta = IncomingMessage & { [NEXT_REQUEST_META]?: Record<string, unknown> };

/**
 * Reads a server action's body before Next does: returns why it must be
 * refused, or null after handing the bytes to Next (`actionBody`).
 */
export async function screenServerAction(request: IncomingMessage): Promise<string | null> {
  const body = await readWholeBody(request);
  const problem = isMultipart(request)
    ? await multipartReplyProblem(body, request.headers["content-type"] ?? "")
    : jsonReplyProblem(body.toString("utf8"));
  if (problem) return problem;
  const meta = ((request as WithMeta)[NEXT_REQUEST_META] ??= {});
  meta.actionBody = body;
  return null;
}
