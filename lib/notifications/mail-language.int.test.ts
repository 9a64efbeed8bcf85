// Every email in its recipient's language (their profile): the rights emails
// (acknowledgement, answer, closure, restoration) and the webhook email to
// admins, sent by the worker through a real SMTP server and read as a mail
// client reads them. The version email's languages are in worker.int.test.ts.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";
import type { Actor } from "@/lib/auth/actor";
import type { Locale } from "@/lib/i18n/locales";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let smtp: MailCatcher;
let requests: typeof import("@/lib/rights/requests");
let desk: typeof import("@/lib/rights/desk");
let deregistration: typeof import("@/lib/rights/deregister");
let worker: typeof import("./worker");
let mailer: typeof import("./mailer");
let outbox: typeof import("./outbox");
let lib: typeof import("@/lib/db");
let users: typeof import("@/lib/users/create-user");
let userLocale: typeof import("@/lib/i18n/user-locale");

const meta = {
  ip: "198.51.100.7",
  ipTruncated: "198.51.100.0",
  userAgent: "vitest",
  locale: null,
  gpc: false,
};
const APP_URL = "https://accord.example";
const PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  smtp = await startMailCatcher();
  db = await usePrivateAppDatabase();
  [requests, desk, deregistration, worker, mailer, outbox, lib, users, userLocale] = await Promise.all([
    import("@/lib/rights/requests"),
    import("@/lib/rights/desk"),
    import("@/lib/rights/deregister"),
    import("./worker"),
    import("./mailer"),
    import("./outbox"),
    import("@/lib/db"),
    import("@/lib/users/create-user"),
    import("@/lib/i18n/user-locale"),
  ]);
});

afterAll(async () => {
  await db?.release();
  await smtp?.close();
});

beforeEach(() => {
  smtp.received.length = 0;
});

/** An account whose profile says `locale`, as the language switch or sign-up leaves it. */
async function account(locale: Locale, role: Actor["role"] = "USER"): Promise<Actor> {
  const created = await users.createUser({
    email: `${locale.toLowerCase()}-${randomUUID()}@int.accord.test`,
    password: PASSWORD,
    role,
  });
  if (!created.ok) throw new Error(created.message);
  await userLocale.saveUserLocale(created.data.id, locale);
  return created.data;
}

const send = () => worker.drainQueue({ mailer: mailer.createMailer({ smtpUrl: smtp.url }), appUrl: APP_URL });

async function openAndAnswer(user: Actor, admin: Actor) {
  const opened = await requests.openRightsRequest(
    { actor: user, meta },
    { type: "DELETION", message: "Please delete the call recordings you keep of me." },
  );
  if (!opened.ok) throw new Error(opened.message);
  const request = await lib.prisma.rightsRequest.findUniqueOrThrow({
    where: { reference: opened.data.reference },
  });
  const answered = await desk.respondToRequest(
    { actor: admin, meta },
    { requestId: request.id, decision: "REFUSED", outcome: "Recordings are kept 30 days by law." },
  );
  if (!answered.ok) throw new Error(answered.message);
  return request;
}

describe("emails in the recipient's language", () => {
  it("acknowledges and answers a request in Chinese for a Chinese profile, in English otherwise", async () => {
    const admin = await account("en", "ADMIN");
    const chinese = await account("zh-CN");
    const english = await account("en");
    const zhRequest = await openAndAnswer(chinese, admin);
    const enRequest = await openAndAnswer(english, admin);
    await send();

    // The worker sends concurrently: find each mail by its subject, not by arrival.
    const mail = (email: string, subject: string) => {
      const found = smtp.to(email).filter((m) => m.subject === subject);
      expect(found, subject).toHaveLength(1);
      return found[0]!;
    };
    expect(smtp.to(chinese.email)).toHaveLength(2);
    const received = mail(chinese.email, `我们已收到您的请求 ${zhRequest.reference}`);
    const answer = mail(chinese.email, `您的请求 ${zhRequest.reference} 已得到答复`);
    expect(received.text).toMatch(
      /我们已于 \d{4}年\d{1,2}月\d{1,2}日 收到您关于删除被违法处理的信息的请求。/,
    );
    expect(received.text).toMatch(/我们将在此日期前答复: \d{4}年\d{1,2}月\d{1,2}日/);
    expect(answer.text).toContain(`我们无法按您关于删除被违法处理的信息的请求（${zhRequest.reference}）办理`);
    expect(answer.text).toContain("> Recordings are kept 30 days by law.");
    expect(answer.html).toContain(`${APP_URL}/account/requests/${zhRequest.reference}`);

    expect(smtp.to(english.email)).toHaveLength(2);
    expect(mail(english.email, `We received your request ${enRequest.reference}`).text).toMatch(
      /on \d{1,2} [A-Z][a-z]+ \d{4}\./,
    );
    mail(english.email, `Your request ${enRequest.reference} has been answered`);
  });

  it("confirms a deregistration and a restoration in the closed account's language", async () => {
    const chinese = await account("zh-CN");
    const closed = await deregistration.deregister(
      { actor: chinese, meta },
      { password: PASSWORD, confirm: "on" },
    );
    expect(closed.ok).toBe(true);
    const restored = await deregistration.cancelDeregistration(meta, {
      email: chinese.email,
      password: PASSWORD,
    });
    expect(restored.ok).toBe(true);
    await send();

    const mails = smtp.to(chinese.email);
    const closure = mails.find((m) => m.subject === "您的账户已注销");
    const restoration = mails.find((m) => m.subject !== closure?.subject);
    expect(mails).toHaveLength(2);
    expect(closure!.text).toMatch(/个人信息删除日期: \d{4}年\d{1,2}月\d{1,2}日/);
    expect(closure!.text).toContain(`恢复我的账户: ${APP_URL}/account/deregister/cancel`);
    expect(restoration!.subject).toBe("您的账户已重新开通");
    expect(restoration!.text).toMatch(/已撤回注销 RQ-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  });

  it("tells each admin in their own language that a webhook endpoint was disabled", async () => {
    const chineseAdmin = await account("zh-CN", "ADMIN");
    const englishAdmin = await account("en", "ADMIN");
    const endpointId = randomUUID();
    await lib.prisma.$transaction(async (tx) => {
      for (const admin of [chineseAdmin, englishAdmin])
        await outbox.queueMail(tx, {
          userId: admin.id,
          to: admin.email,
          kind: "webhook-disabled",
          payload: { endpointId, url: "https://im.example.com/hooks", failures: 12, lastError: "HTTP 503" },
          at: new Date(),
        });
    });
    await send();

    const [zh] = smtp.to(chineseAdmin.email);
    expect(zh!.subject).toBe("一个 Webhook 端点已被停用");
    expect(zh!.text).toContain(
      "Accord 已停止向 https://im.example.com/hooks 发送 Webhook：最近 12 次投递尝试均失败。",
    );
    expect(zh!.text).toContain("最近一次错误: HTTP 503");
    const [en] = smtp.to(englishAdmin.email);
    expect(en!.subject).toBe("A webhook endpoint was disabled");
    expect(en!.text).toContain("its last 12 delivery attempts failed.");
  });
});
