// The OpenAPI document as served: every operation the fast path serves is in
// it, under the same path and method, with the request and answer schemas the
// operation validates with.
import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { SERVICE_OPERATIONS } from "@/lib/service-api/operations";
import { subjectStatusSchema } from "@/lib/service-api/schemas";

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document of every operation, generated from the operations' zod schemas", async () => {
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const response = await GET(new NextRequest("http://accord.test/api/v1/openapi.json"), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    for (const operation of SERVICE_OPERATIONS) {
      const entry = document.paths[operation.path]?.[operation.method.toLowerCase()];
      expect(entry, `${operation.method} ${operation.path}`).toMatchObject({
        operationId: operation.operationId,
        security: [{ apiKey: [operation.access.apiKey] }],
      });
      expect(Object.keys(entry.responses)).toEqual(
        expect.arrayContaining([String(operation.success.status), "401", "403", "429"]),
      );
    }
    for (const path of ["/api/v1/versions", "/api/v1/versions/current", "/api/v1/versions/{number}"])
      expect(document.paths[path]?.get).toBeDefined();
    // The component is the zod schema's own shape.
    const component = document.components.schemas.SubjectStatus;
    expect(Object.keys(component.properties).sort()).toEqual(Object.keys(subjectStatusSchema.shape).sort());
    expect(component.properties.purposes.items.properties.consent).toEqual({
      $ref: "#/components/schemas/PurposeConsent",
    });
    // Every keyed route file is in the document, with the scope its key needs.
    const keyed: [string, string][] = [
      ["subjects", "status:read"],
      ["versions", "versions:read"],
      ["webhooks", "webhooks:manage"],
      ["hosted-links", "consent:write"],
    ];
    let routes = 0;
    for (const [folder, scope] of keyed) {
      const files = (await readdir(`app/api/v1/${folder}`, { recursive: true })).filter((file) =>
        file.endsWith("route.ts"),
      );
      for (const file of files) {
        const relative = `${folder}/${file}`.replace(/\/?route\.ts$/, "");
        const path = `/api/v1/${relative}`.replace(/\[([A-Za-z]+)\]/g, "{$1}");
        const routeModule = (await import(`@/app/api/v1/${relative}/route`)) as Record<string, unknown>;
        for (const method of ["GET", "POST", "PATCH", "DELETE"].filter((m) => m in routeModule)) {
          routes++;
          const entry = document.paths[path]?.[method.toLowerCase()];
          expect(entry, `${method} ${path}`).toBeDefined();
          if (folder !== "subjects")
            expect(entry.security, `${method} ${path}`).toEqual([{ apiKey: [scope] }]);
        }
      }
    }
    expect(routes).toBeGreaterThanOrEqual(15);
    expect(document.paths["/api/v1/webhooks"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/CreateWebhookEndpoint",
    });
    expect(Object.keys(document.components.schemas.HostedLink.properties).sort()).toEqual([
      "expiresAt",
      "url",
    ]);

    const record = document.paths["/api/v1/subjects/{subjectId}/consent"].post;
    expect(record.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: "header", name: "Idempotency-Key", required: true }),
      ]),
    );
  });
});
