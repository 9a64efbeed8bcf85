import { getTranslations } from "next-intl/server";
import { refName, typeLabel, type JsonSchema } from "@/components/developers/json-schema";

export interface OperationDoc {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

const bodySchema = (content?: Record<string, { schema?: JsonSchema }>) =>
  content?.["application/json"]?.schema;

function SchemaLink({ schema }: { schema: JsonSchema | undefined }) {
  if (!schema) return null;
  if (schema.$ref)
    return (
      <a href={`#schema-${refName(schema.$ref)}`} className="font-mono text-brand-700 underline">
        {refName(schema.$ref)}
      </a>
    );
  return <span className="font-mono">{typeLabel(schema)}</span>;
}

/** One endpoint of the OpenAPI document. */
export async function OperationCard({ operation }: { operation: OperationDoc }) {
  const t = await getTranslations("developers");
  const scopes = operation.security?.flatMap((entry) => Object.values(entry).flat()) ?? [];
  const body = bodySchema(operation.requestBody?.content);
  return (
    <section
      id={operation.operationId}
      aria-labelledby={`${operation.operationId}-title`}
      className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
      data-testid="api-operation"
    >
      <h3
        id={`${operation.operationId}-title`}
        className="flex flex-wrap items-baseline gap-x-3 text-lg font-semibold"
      >
        <span className="rounded bg-slate-800 px-2 py-0.5 font-mono text-sm text-white">
          {operation.method}
        </span>
        <code className="break-all text-slate-900">{operation.path}</code>
      </h3>
      {operation.summary ? <p className="font-medium text-slate-900">{operation.summary}</p> : null}
      {operation.description ? (
        <p className="whitespace-pre-line text-sm text-slate-800">{operation.description}</p>
      ) : null}
      <p className="text-sm text-slate-800">
        {t("scope")}: <code>{scopes.join(", ") || t("none")}</code>
      </p>
      {operation.parameters?.length ? (
        <div>
          <h4 className="font-semibold text-slate-900">{t("parameters")}</h4>
          <ul className="mt-1 space-y-1 text-sm text-slate-800">
            {operation.parameters.map((parameter) => (
              <li key={`${parameter.in}:${parameter.name}`}>
                <code className="text-slate-900">{parameter.name}</code> ({parameter.in}
                {parameter.required ? `, ${t("required").toLowerCase()}` : ""}):{" "}
                <span className="font-mono">{typeLabel(parameter.schema)}</span>
                {parameter.description ? ` — ${parameter.description}` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {body ? (
        <p className="text-sm text-slate-800">
          <span className="font-semibold text-slate-900">{t("requestBody")}:</span>{" "}
          <SchemaLink schema={body} />
        </p>
      ) : null}
      <div>
        <h4 className="font-semibold text-slate-900">{t("responses")}</h4>
        <ul className="mt-1 space-y-1 text-sm text-slate-800">
          {Object.entries(operation.responses ?? {}).map(([status, response]) => (
            <li key={status}>
              <code className="font-semibold text-slate-900">{status}</code> {response.description}{" "}
              <SchemaLink schema={bodySchema(response.content)} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
