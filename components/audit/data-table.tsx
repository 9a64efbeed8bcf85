interface DataTableProps {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

/** The numbers behind a chart. */
export function DataTable({ caption, columns, rows }: DataTableProps) {
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-slate-50 text-left text-slate-700">
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col" className="px-3 py-1.5 font-semibold">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 tabular-nums">
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) =>
              j === 0 ? (
                <th key={j} scope="row" className="px-3 py-1 text-left font-normal">
                  {cell}
                </th>
              ) : (
                <td key={j} className="px-3 py-1">
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
