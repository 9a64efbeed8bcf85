import { getTranslations } from "next-intl/server";
import { typeLabel, type JsonSchema } from "@/components/developers/json-schema";

/** A schema's fields as a table (nested objects shown with dotted names). */
export async function SchemaTable({ schema, caption }: { schema: JsonSchema; caption: string }) {
  const t = await getTranslations("developers");
  const rows: { name: string; field: JsonSchema; required: boolean }[] = [];
  const walk = (node: JsonSchema, prefix: string) => {
    for (const [name, field] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      rows.push({ name: path, field, required: node.required?.includes(name) ?? false });
      if (field.type === "object" && field.properties) walk(field, path);
      if (field.type === "array" && field.items?.properties) walk(field.items, `${path}[]`);
    }
  };
  walk(schema, "");
  if (rows.length === 0) return <p className="text-sm text-slate-700">{typeLabel(schema)}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-300 text-slate-800">
          <tr>
            <th scope="col" className="py-1 pr-4">
              {t("field")}
            </th>
            <th scope="col" className="py-1 pr-4">
              {t("type")}
            </th>
            <th scope="col" className="py-1 pr-4">
              {t("required")}
            </th>
            <th scope="col" className="py-1">
              {t("description")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} className="border-b border-slate-100 align-top">
              <td className="py-1 pr-4 font-mono text-slate-900">{row.name}</td>
              <td className="py-1 pr-4 font-mono text-slate-800">{typeLabel(row.field)}</td>
              <td className="py-1 pr-4 text-slate-800">{row.required ? t("yes") : t("no")}</td>
              <td className="py-1 text-slate-800">{row.field.description ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
