import { describe, expect, it } from "vitest";
import { effectiveConsent, isConsentEffective } from "@/lib/consent/effective-consent";
import { decideGpc } from "@/lib/consent/gpc-rule";

const notice = "b".repeat(64);
const changed = "c".repeat(64);

describe("effective consent (fresh consent after a notice changes, PIPL Art. 14)", () => {
  it("counts a grant only for the notice it was given to", () => {
    const purpose = { basic: false, noticeSha256: notice };
    expect(effectiveConsent(purpose, { granted: true, noticeSha256: notice })).toBe("granted");
    expect(effectiveConsent(purpose, { granted: true, noticeSha256: changed })).toBe("needs-fresh-consent");
    expect(isConsentEffective(purpose, { granted: true, noticeSha256: changed })).toBe(false);
    expect(effectiveConsent(purpose, { granted: false, noticeSha256: notice })).toBe("not-granted");
    expect(effectiveConsent(purpose, null)).toBe("not-granted");
  });

  it("treats basic purposes as required whatever the state", () => {
    expect(effectiveConsent({ basic: true, noticeSha256: notice }, null)).toBe("required");
    expect(
      isConsentEffective({ basic: true, noticeSha256: notice }, { granted: false, noticeSha256: notice }),
    ).toBe(true);
  });
});

describe("Global Privacy Control decision", () => {
  const t = (s: number) => new Date(Date.UTC(2026, 10, 29, 10, 0, s));

  it("does nothing without the signal", () => {
    expect(
      decideGpc({ signal: false, gpcAppliedAt: null, sharing: { granted: true, updatedAt: t(0) } }),
    ).toBe("none");
  });

  it("withdraws a grant made before GPC was applied", () => {
    expect(decideGpc({ signal: true, gpcAppliedAt: null, sharing: { granted: true, updatedAt: t(0) } })).toBe(
      "withdraw",
    );
    expect(decideGpc({ signal: true, gpcAppliedAt: t(5), sharing: { granted: true, updatedAt: t(1) } })).toBe(
      "withdraw",
    );
  });

  it("respects a grant made after the user was told GPC is on", () => {
    expect(decideGpc({ signal: true, gpcAppliedAt: t(5), sharing: { granted: true, updatedAt: t(9) } })).toBe(
      "none",
    );
    expect(decideGpc({ signal: true, gpcAppliedAt: t(5), sharing: { granted: true, updatedAt: t(5) } })).toBe(
      "none",
    );
  });

  it("only marks when nothing is shared, and is idempotent once applied", () => {
    expect(decideGpc({ signal: true, gpcAppliedAt: null, sharing: null })).toBe("mark");
    expect(
      decideGpc({ signal: true, gpcAppliedAt: null, sharing: { granted: false, updatedAt: t(0) } }),
    ).toBe("mark");
    expect(
      decideGpc({ signal: true, gpcAppliedAt: t(5), sharing: { granted: false, updatedAt: t(5) } }),
    ).toBe("none");
  });
});
