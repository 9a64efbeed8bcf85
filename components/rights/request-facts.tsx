import type { ReactNode } from "react";

/** A definition list of a request's facts (type, status, dates, ...). */
export function RequestFacts({ facts }: { facts: [label: string, value: ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 gap-y-3 rounded-lg bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200 sm:grid-cols-2">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt className="font-medium text-slate-600">{label}</dt>
          <dd className="mt-0.5 text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
