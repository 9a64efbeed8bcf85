import { describe, expect, it } from "vitest";
import { jsonReplyProblem, multipartReplyProblem } from "@/lib/server/action-reply-guard";

// Issue 9: the replies bench/fuzz-actions.ts found answered 500 by React's
// decoder inside Next.js ("Connection closed.", "Cannot read properties of
// undefined (reading 'arrayBuffer')", a stack overflow on a cyclic reply).
describe("server action replies", () => {
  it("refuses references the body does not carry", () => {
    for (const reply of [
      ["$undefined", { "%": "$9", QJ: "on" }],
      ["$undefined", { basis: "$Vj5]q~" }],
      ["$undefined", { password: ["$fML<#L"] }],
      ["$undefined", { a: "$@1" }],
      ["$undefined", { a: "$Q1" }],
      ["$undefined", { a: "$B1" }],
      ["$undefined", { a: "$0" }],
      ["$undefined", { a: "$0:1:a" }],
      ["$undefined", { a: "$T" }],
      ["$undefined", { a: "$nabc" }],
      ["$undefined", { a: `$n${"9".repeat(301)}` }],
      "$1",
    ])
      expect(jsonReplyProblem(JSON.stringify(reply))).toBe("a reference the request does not carry");
  });

  it("passes what React's own encoder sends: plain values and self-contained forms", () => {
    const reply = [
      "$undefined",
      {
        title: "Surveys",
        escaped: "$$5 off",
        when: "$D2026-12-01T00:00:00.000Z",
        big: "$n12345678901234567890",
        nan: "$NaN",
        inf: "$Infinity",
        negInf: "$-Infinity",
        negZero: "$-0",
        list: [1, true, null, "zh-CN"],
      },
    ];
    expect(jsonReplyProblem(JSON.stringify(reply))).toBeNull();
  });

  it("refuses what is not JSON or nested beyond reason", () => {
    expect(jsonReplyProblem("{")).toBe("the body is not JSON");
    expect(jsonReplyProblem("[".repeat(100) + "]".repeat(100))).toBe("the arguments are nested too deeply");
  });

  it("reads multipart replies as React does: numbered parts are rows, the rest are the form's values", async () => {
    const multipart = (parts: Record<string, string>) => {
      const body = Object.entries(parts)
        .map(([name, value]) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join("");
      return multipartReplyProblem(Buffer.from(`${body}--b--\r\n`), "multipart/form-data; boundary=b");
    };
    // What useActionState sends for a form, and a value that only looks like a reference.
    expect(await multipart({ "0": '["$undefined","$K1"]', "1_title": "$9 is a title" })).toBeNull();
    // Answered 500 before the guard read multipart bodies.
    expect(await multipart({ "0": '["$undefined",{"a":"$9"}]' })).toBe(
      "a reference the request does not carry",
    );
    expect(await multipart({ "0": '["$undefined",{"a":"$B9"}]' })).toBe(
      "a reference the request does not carry",
    );
    expect(await multipart({ "0": '["$undefined"]', "1": '{"a":"$Q0"}' })).toBe(
      "a reference the request does not carry",
    );
    expect(await multipart({ "0": "not json" })).toBe("the body is not JSON");
    expect(await multipart({ "1_title": "x" })).toBe("the reply has no root row");
    expect(await multipartReplyProblem(Buffer.from("garbage"), "multipart/form-data; boundary=b")).toBe(
      "the body is not form data",
    );
  });
});
