import { describe, expect, it } from "vitest";
import { composeMail, UnknownMailError } from "./compose";

describe("composeMail", () => {
  const answered = {
    reference: "RQ-7K3M-9QXP",
    type: "DELETION",
    decision: "REFUSED",
    outcome: "We must keep <invoices> for 5 years & cannot delete them.\nSee §2.2.",
  };

  it("writes the same words in both parts and escapes the HTML", () => {
    const mail = composeMail("request-answered", answered, "https://accord.example/");
    expect(mail.subject).toBe("Your request RQ-7K3M-9QXP has been answered");
    expect(mail.text).toContain("> We must keep <invoices> for 5 years & cannot delete them.\n> See §2.2.");
    expect(mail.text).toContain("See your request: https://accord.example/account/requests/RQ-7K3M-9QXP");
    expect(mail.html).toContain(
      "We must keep &lt;invoices&gt; for 5 years &amp; cannot delete them.<br>See §2.2.",
    );
    expect(mail.html).not.toContain("<invoices>");
  });

  it("refuses a kind it does not know and a payload that does not fit, as permanent failures", () => {
    expect(() => composeMail("no-such-kind", {}, "http://x")).toThrow(UnknownMailError);
    expect(() => composeMail("request-answered", { ...answered, decision: "MAYBE" }, "http://x")).toThrow(
      UnknownMailError,
    );
  });

  it("writes an account link from the token id with the deriver it is given, and cannot write it without one", () => {
    const payload = {
      tokenId: "6f1c9a52-7d1e-4c1b-9a51-0f7e5c3b2a10",
      expiresAt: "2026-12-01T12:30:00.000Z",
    };
    const mail = composeMail(
      "password-reset",
      payload,
      "https://accord.example/",
      "zh-CN",
      (id) => `secret-of-${id}`,
    );
    expect(mail.subject).toBe("重置您的密码");
    expect(mail.text).toContain(`https://accord.example/reset-password?token=secret-of-${payload.tokenId}`);
    expect(() => composeMail("password-reset", payload, "https://accord.example/")).toThrow(UnknownMailError);
  });
});
