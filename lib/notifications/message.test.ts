import { describe, expect, it } from "vitest";
import { composeVersionEmail, diffUrl } from "./message";

describe("composeVersionEmail", () => {
  const email = composeVersionEmail({
    appUrl: "http://127.0.0.1:3000/",
    title: "User Privacy Agreement",
    number: 2,
    changeSummary: "We now share <data> with partners & affiliates.",
    effectiveAt: new Date("2026-04-01T00:00:00.000Z"),
  });

  it("says what changed, when, and links to the diff", () => {
    expect(email.subject).toBe("Changes to the User Privacy Agreement take effect on 1 April 2026");
    expect(email.text).toContain("We now share <data> with partners & affiliates.");
    expect(email.text).toContain("takes effect on 1 April 2026 (2026-04-01)");
    expect(email.text).toContain("http://127.0.0.1:3000/agreement/diff?from=1&to=2");
  });

  it("links to closing the account for those who do not agree (§6.5)", () => {
    expect(email.text).toContain("http://127.0.0.1:3000/account/deregister");
    expect(email.html).toContain('href="http://127.0.0.1:3000/account/deregister"');
  });

  it("escapes the summary in the HTML part", () => {
    expect(email.html).toContain("We now share &lt;data&gt; with partners &amp; affiliates.");
    expect(email.html).not.toContain("<data>");
  });

  it("links version 1 to its own page (there is nothing to diff against)", () => {
    expect(diffUrl("http://x", 1)).toBe("http://x/agreement/versions/1");
  });
});

describe("composeVersionEmail in Chinese", () => {
  const email = composeVersionEmail({
    appUrl: "http://127.0.0.1:3000",
    title: "用户隐私协议",
    number: 2,
    changeSummary: null,
    effectiveAt: new Date("2026-04-01T00:00:00.000Z"),
    locale: "zh-CN",
  });

  it("writes subject, body and dates in the recipient's language", () => {
    expect(email.subject).toBe("用户隐私协议的变更将于 2026年4月1日 生效");
    expect(email.text).toContain("第 2 版将于 2026年4月1日（2026-04-01）生效");
    expect(email.text).toContain("请通过下方链接查看变更。");
    expect(email.html).toContain('<a href="http://127.0.0.1:3000/account">现在接受新版本</a>');
    expect(email.html).toContain("<strong>2026年4月1日</strong>");
  });
});

describe("composeVersionEmail in the organisation's time zone", () => {
  it("gives the effective date as it falls there, not in UTC", () => {
    // 16:00 UTC on 31 March is midnight of 1 April in Shanghai: "effective 2026-04-01" there.
    const email = composeVersionEmail({
      appUrl: "http://127.0.0.1:3000",
      title: "User Privacy Agreement",
      number: 2,
      changeSummary: null,
      effectiveAt: new Date("2026-03-31T16:00:00.000Z"),
      timeZone: "Asia/Shanghai",
    });
    expect(email.text).toContain("takes effect on 1 April 2026 (2026-04-01)");
  });
});
