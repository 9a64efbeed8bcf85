import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import pg from "pg";
import { createUser } from "@/lib/users/create-user";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { getVersionInEffect } from "@/lib/agreements/versions";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: "USER" | "ADMIN" | "AUDITOR";
}

interface Fixtures {
  makeUser(options?: { role?: TestUser["role"]; accepted?: boolean }): Promise<TestUser>;
  signIn(page: Page, user: TestUser): Promise<void>;
  /** A new user (as makeUser makes them), signed in on `page`. */
  signInAs(page: Page, options?: Parameters<Fixtures["makeUser"]>[0]): Promise<TestUser>;
  clock: { set(offsetMs: number): void; reset(): void };
  snap(page: Page, name: string): Promise<void>;
  expectAccessible(page: Page): Promise<void>;
}

const clockFile = process.env.ACCORD_CLOCK_FILE ?? ".data/test-clock.json";

export const test = base.extend<Fixtures, { db: pg.Pool }>({
  db: [
    async ({}, use) => {
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
      await use(pool);
      await pool.end();
    },
    { scope: "worker" },
  ],

  // Users are created through the service layer, as the app creates them.
  makeUser: async ({}, use) => {
    await use(async ({ role = "USER", accepted = false } = {}) => {
      const email = `${role.toLowerCase()}-${randomUUID().slice(0, 12)}@e2e.accord.test`;
      const password = `pw-${randomUUID()}`;
      const created = await createUser({ email, password, role });
      if (!created.ok) throw new Error(created.message);
      if (accepted) {
        const version = await getVersionInEffect();
        if (!version) throw new Error("no version in effect");
        const result = await acceptAgreement({
          subjectId: created.data.id,
          versionId: version.id,
          shownSha256: version.bodySha256,
          method: "WEB",
          meta: { ipTruncated: "127.0.0.0", userAgent: "e2e fixture", locale: "en" },
        });
        if (!result.ok) throw new Error(result.message);
      }
      return { id: created.data.id, email, password, role };
    });
  },

  signIn: async ({}, use) => {
    await use(async (page, user) => {
      await page.goto("/signin");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
    });
  },

  signInAs: async ({ makeUser, signIn }, use) => {
    await use(async (page, options) => {
      const user = await makeUser(options);
      await signIn(page, user);
      return user;
    });
  },

  // Moves the app's clock (honoured only by builds made for tests).
  clock: async ({}, use) => {
    const clock = {
      set(offsetMs: number) {
        writeFileSync(clockFile, JSON.stringify({ offsetMs }));
      },
      reset() {
        rmSync(clockFile, { force: true });
      },
    };
    await use(clock);
    clock.reset();
  },

  snap: async ({}, use, testInfo) => {
    await use(async (page, name) => {
      mkdirSync("test-results/screenshots", { recursive: true });
      const path = `test-results/screenshots/${name}.png`;
      await page.screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: "image/png" });
    });
  },

  expectAccessible: async ({}, use) => {
    await use(async (page) => {
      // After a client-side navigation React puts the new page's <title> in
      // the head a moment after its content shows: axe once saw none
      // (document-title). A page that never gets a title still fails, here.
      await expect.poll(() => page.title(), { message: "the page has a <title>" }).not.toBe("");
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      ).toEqual([]);
    });
  },
});

export { expect };
