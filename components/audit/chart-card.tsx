import type { ReactNode } from "react";

interface ChartCardProps {
  id: string;
  title: string;
  description: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  showTable: string;
}

/** A chart with its numbers: the table is always in the page, folded under the chart. */
export function ChartCard({ id, title, description, chart, table, showTable }: ChartCardProps) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      data-testid={id}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <div className="text-sm text-slate-700">{description}</div>
      {chart}
      <details className="text-sm">
        <summary className="cursor-pointer text-brand-700 underline">{showTable}</summary>
        <div className="mt-2 overflow-x-auto">{table}</div>
      </details>
    </section>
  );
}
