// The service API reference for people, rendered on the server from the same
// OpenAPI document /api/v1/openapi.json serves (lib/service-api/openapi.ts).
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { env } from "@/lib/env";
import { createOpenApiDocument } from "@/lib/service-api/openapi";
import { SERVICE_OPERATIONS } from "@/lib/service-api/operations";
import { OperationCard, type OperationDoc } from "@/components/developers/operation-card";
import { SchemaTable } from "@/components/developers/schema-table";
import type { JsonSchema } from "@/components/developers/json-schema";

export const metadata: Metadata = { title: "Service API reference" };

export default async function DevelopersPage() {
  const t = await getTranslations("developers");
  const document = createOpenApiDocument(SERVICE_OPERATIONS, env.APP_URL.replace(/\/+$/, ""));
  const operations: OperationDoc[] = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    (["get", "post"] as const).flatMap((method) => {
      const operation = (item as Record<string, unknown> | undefined)?.[method];
      return operation
        ? [{ ...(operation as Omit<OperationDoc, "method" | "path">), method: method.toUpperCase(), path }]
        : [];
    }),
  );
  const schemas = Object.entries((document.components?.schemas ?? {}) as Record<string, JsonSchema>);
  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="max-w-3xl text-slate-700">{t("intro")}</p>
        <p className="flex flex-wrap gap-x-6 text-sm">
          <a href="/api/v1/openapi.json" className="text-brand-700 underline">
            {t("documentLink")}
          </a>
          <a href="/.well-known/jwks.json" className="text-brand-700 underline">
            {t("jwksLink")}
          </a>
        </p>
      </header>
      <section aria-labelledby="auth-title" className="space-y-2">
        <h2 id="auth-title" className="text-xl font-semibold text-slate-900">
          {t("authTitle")}
        </h2>
        <p className="max-w-3xl text-slate-800">{t("authText")}</p>
      </section>
      <section aria-labelledby="endpoints-title" className="space-y-4">
        <h2 id="endpoints-title" className="text-xl font-semibold text-slate-900">
          {t("endpointsTitle")}
        </h2>
        {operations.map((operation) => (
          <OperationCard key={`${operation.method} ${operation.path}`} operation={operation} />
        ))}
      </section>
      <section aria-labelledby="schemas-title" className="space-y-4">
        <h2 id="schemas-title" className="text-xl font-semibold text-slate-900">
          {t("schemasTitle")}
        </h2>
        {schemas.map(([name, schema]) => (
          <section
            key={name}
            id={`schema-${name}`}
            aria-labelledby={`schema-${name}-title`}
            className="space-y-2 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
          >
            <h3 id={`schema-${name}-title`} className="font-mono text-lg font-semibold text-slate-900">
              {name}
            </h3>
            {schema.description ? <p className="text-sm text-slate-800">{schema.description}</p> : null}
            <SchemaTable schema={schema} caption={name} />
          </section>
        ))}
      </section>
    </div>
  );
}
