// Emails about rights requests (agreement §6.2, §6.6). Pure.
import { z } from "zod";
import { formatDate } from "@/lib/format";
import { appLink, composeBlocks, type ComposedEmail } from "@/lib/notifications/blocks";

const TYPE_NAMES = {
  CORRECTION: "correction of your information",
  DELETION: "deletion of information processed unlawfully",
  QUESTION: "question about your rights",
  CLOSURE: "closure of your account",
} as const;

const type = z.enum(["CORRECTION", "DELETION", "QUESTION", "CLOSURE"]);

export const requestReceivedPayload = z.object({
  reference: z.string(),
  type,
  receivedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
});

export function requestReceivedEmail(
  payload: z.infer<typeof requestReceivedPayload>,
  appUrl: string,
): ComposedEmail {
  const due = formatDate(new Date(payload.dueAt));
  return composeBlocks(`We received your request ${payload.reference}`, [
    `We received your request for ${TYPE_NAMES[payload.type]} on ${formatDate(new Date(payload.receivedAt))}.`,
    {
      facts: [
        ["Reference", payload.reference],
        ["We will answer by", due],
      ],
    },
    "Quote the reference if you write to us about it. We will email you when it is answered.",
    {
      link: "See the status of your request",
      href: appLink(appUrl, `/account/requests/${payload.reference}`),
    },
  ]);
}

export const requestAnsweredPayload = z.object({
  reference: z.string(),
  type,
  decision: z.enum(["COMPLETED", "REFUSED"]),
  outcome: z.string(),
});

export function requestAnsweredEmail(
  payload: z.infer<typeof requestAnsweredPayload>,
  appUrl: string,
): ComposedEmail {
  return composeBlocks(`Your request ${payload.reference} has been answered`, [
    payload.decision === "COMPLETED"
      ? `We have dealt with your request for ${TYPE_NAMES[payload.type]} (${payload.reference}).`
      : `We could not do what you asked in your request for ${TYPE_NAMES[payload.type]} (${payload.reference}). Our reasons are below.`,
    { quote: payload.outcome },
    payload.decision === "REFUSED"
      ? "If you disagree, you may complain to a data-protection authority."
      : "If something is still not right, reply through a new request and quote this reference.",
    { link: "See your request", href: appLink(appUrl, `/account/requests/${payload.reference}`) },
  ]);
}

export const accountClosedPayload = z.object({
  reference: z.string(),
  closedAt: z.iso.datetime(),
  eraseAfter: z.iso.datetime(),
});

/** Deregistration (§6.5): what happened, what happens next, and how to undo it in time. */
export function accountClosedEmail(
  payload: z.infer<typeof accountClosedPayload>,
  appUrl: string,
): ComposedEmail {
  const erase = formatDate(new Date(payload.eraseAfter));
  return composeBlocks("Your account is closed", [
    `You closed your account on ${formatDate(new Date(payload.closedAt))}. Nobody can sign in to it any more, and every session has ended.`,
    {
      facts: [
        ["Reference", payload.reference],
        ["Personal data erased after", erase],
      ],
    },
    `After ${erase} we erase your email address, password and language. The record of what you consented to, and when, is kept as evidence until its own retention period ends; it no longer names you by email.`,
    "Changed your mind? You can restore the account until then with your email and password.",
    { link: "Restore my account", href: appLink(appUrl, "/account/deregister/cancel") },
  ]);
}

export const accountRestoredPayload = z.object({
  reference: z.string().nullable(),
  restoredAt: z.iso.datetime(),
});

export function accountRestoredEmail(
  payload: z.infer<typeof accountRestoredPayload>,
  appUrl: string,
): ComposedEmail {
  return composeBlocks("Your account is open again", [
    `You restored your account on ${formatDate(new Date(payload.restoredAt))}${payload.reference ? ` (closure ${payload.reference} withdrawn)` : ""}. Sign in as before.`,
    "If you did not do this, change your password and tell us through a request.",
    { link: "Sign in", href: appLink(appUrl, "/signin") },
  ]);
}
