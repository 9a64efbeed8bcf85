import type { ReactNode } from "react";

interface TableProps {
  /** Read by screen readers only. */
  caption: string;
  columns: string[];
  testId?: string;
  /**
   * A width the table keeps on narrow screens (a Tailwind min-w-* class):
   * below it the table scrolls sideways instead of squeezing columns to a
   * letter each.
   */
  minWidth?: string;
  /** The body rows. */
  children: ReactNode;
}

export function Table({ caption, columns, testId, minWidth, children }: TableProps) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table
        className={`${minWidth ? `w-full ${minWidth}` : "min-w-full"} divide-y divide-slate-200 text-sm`}
        data-testid={testId}
      >
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-slate-700">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-4 py-2 font-semibold">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
