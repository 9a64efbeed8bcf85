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
