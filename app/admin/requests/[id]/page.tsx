import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, getLocale } from "next-intl/server";
import { z } from "zod";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { getDeskRequest } from "@/lib/rights/desk";
import { OPEN_STATUSES } from "@/lib/rights/schemas";
import { formatDate, formatDateTime } from "@/lib/format";
import { Section } from "@/components/ui/section";
import { WrittenText } from "@/components/rights/written-text";
import { ActionForm } from "@/components/admin/action-form";
import { RequestFacts } from "@/components/rights/request-facts";
import { StatusBadge } from "@/components/rights/status-badge";
import { SubjectLabel } from "@/components/rights/subject-label";
import { AssignForm } from "@/components/rights/assign-form";
import { NoteForm } from "@/components/rights/note-form";
import { RespondForm } from "@/components/rights/respond-form";
import { RequestSteps } from "@/components/rights/request-steps";
import {
  addRequestNoteAction,
  assignRequestAction,
  respondToRequestAction,
  startRequestAction,
} from "../actions";

export const metadata: Metadata = { title: "Rights request" };

export default async function DeskRequestPage({ params }: PageProps<"/admin/requests/[id]">) {
  await connection();
  const { id } = await params;
  await requirePageActor(`/admin/requests/${encodeURIComponent(id)}`, ADMIN_ROLES);
  const parsed = z.uuid().safeParse(id);
  const request = parsed.success ? await getDeskRequest(parsed.data) : null;
  if (!request) notFound();
  const t = await getTranslations("desk");
  const locale = await getLocale();
  const tr = await getTranslations("requests");
  const open = (OPEN_STATUSES as readonly string[]).includes(request.status);
  return (
    <div className="space-y-8">
      <Link href="/admin/requests" className="text-sm text-brand-700 underline">
        {t("detail.back")}
      </Link>
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold text-slate-900">
          {t("detail.title", { reference: request.reference })}
        </h1>
        {request.overdue ? (
          <span
            className="rounded bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900"
            data-testid="overdue"
          >
            {t("overdue")}
          </span>
        ) : null}
        {request.onHold ? (
          <Link
            href="/admin/holds"
            className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950 underline"
            data-testid="on-hold"
          >
            {t("onHold")}
          </Link>
        ) : null}
      </header>
      <RequestFacts
        facts={[
          [t("detail.facts.type"), tr(`types.${request.type}`)],
          [t("detail.facts.status"), <StatusBadge key="status" status={request.status} />],
          [t("detail.facts.subject"), <SubjectLabel key="subject" subject={request.subject} />],
          [t("detail.facts.received"), formatDateTime(request.receivedAt, locale)],
          [t("detail.facts.due"), formatDate(request.dueAt, locale)],
          [t("detail.facts.assignee"), request.assignee?.email ?? t("unassigned")],
          ...(request.closedAt
            ? [[t("detail.facts.closed"), formatDateTime(request.closedAt, locale)] as [string, string]]
            : []),
        ]}
      />
      <Section id="message" title={t("detail.message")}>
        {request.type === "CLOSURE" ? (
          <p className="max-w-3xl text-sm text-slate-700">{t("detail.closureBody")}</p>
        ) : request.message ? (
          <WrittenText>{request.message}</WrittenText>
        ) : (
          <p className="text-sm text-slate-700">{t("detail.noMessage")}</p>
        )}
      </Section>
      {request.outcome ? (
        <Section id="outcome" title={t("detail.outcome")}>
          <WrittenText>{request.outcome}</WrittenText>
        </Section>
      ) : null}
      {open ? (
        <div className="grid gap-8 md:grid-cols-2">
          <Section id="assign" title={t("detail.assignHeading")}>
            <AssignForm
              action={assignRequestAction}
              requestId={request.id}
              admins={request.admins}
              current={request.assignee?.id ?? ""}
            />
          </Section>
          {request.status === "RECEIVED" ? (
            <Section id="start" title={t("detail.startHeading")}>
              <ActionForm
                action={startRequestAction}
                fields={{ requestId: request.id }}
                label={t("detail.start")}
                pendingLabel={t("detail.starting")}
                variant="secondary"
              />
            </Section>
          ) : null}
        </div>
      ) : null}
      {open && request.type !== "CLOSURE" ? (
        <Section id="respond" title={t("detail.respondHeading")} className="max-w-2xl space-y-3">
          <p className="text-sm text-slate-700">{t("detail.respondIntro")}</p>
          <RespondForm action={respondToRequestAction} requestId={request.id} />
        </Section>
      ) : null}
      <Section id="notes" title={t("detail.notesHeading")} className="max-w-2xl space-y-3">
        {request.notes.length === 0 ? (
          <p className="text-sm text-slate-700">{t("detail.noNotes")}</p>
        ) : (
          <ul className="space-y-3" data-testid="request-notes">
            {request.notes.map((note) => (
              <li key={note.id} className="rounded-md bg-white p-3 text-sm ring-1 ring-slate-200">
                <p className="whitespace-pre-wrap text-slate-800">{note.body}</p>
                <p className="mt-1 text-xs text-slate-600">
                  {t("detail.noteBy", {
                    email: note.author.email,
                    when: formatDateTime(note.createdAt, locale),
                  })}
                </p>
              </li>
            ))}
          </ul>
        )}
        <NoteForm action={addRequestNoteAction} requestId={request.id} />
      </Section>
      <Section id="steps" title={t("detail.stepsHeading")}>
        <RequestSteps steps={request.steps} subjectId={request.subject.id} />
      </Section>
    </div>
  );
}
