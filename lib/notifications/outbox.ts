import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { MailKind, MailPayload } from "@/lib/notifications/compose";

export interface QueuedMail<K extends MailKind> {
  userId: string;
  to: string;
  kind: K;
  payload: MailPayload<K>;
  at: Date;
}

type Db = Pick<Prisma.TransactionClient, "notification">;

/**
 * Queues one email in the outbox inside the caller's transaction: the mail
 * exists if and only if what it reports was committed. The worker sends it
 * (lib/notifications/worker.ts), with retries.
 */
export async function queueMail<K extends MailKind>(db: Db, mail: QueuedMail<K>): Promise<void> {
  await db.notification.create({
    data: {
      userId: mail.userId,
      email: mail.to,
      kind: mail.kind,
      payload: mail.payload as Prisma.InputJsonValue,
      nextAttemptAt: mail.at,
      createdAt: mail.at,
    },
  });
}
