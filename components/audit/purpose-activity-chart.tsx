"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

interface PurposeActivityChartProps {
  purposeKey: string;
  data: { label: string; granted: number; withdrawn: number }[];
  grantedLabel: string;
  withdrawnLabel: string;
  summary: string;
}

/** One purpose's weekly grants (up) and withdrawals (down). */
export function PurposeActivityChart({
  purposeKey,
  data,
  grantedLabel,
  withdrawnLabel,
  summary,
}: PurposeActivityChartProps) {
  const signed = data.map((d) => ({ label: d.label, granted: d.granted, withdrawn: -d.withdrawn }));
  return (
    <figure className="space-y-1" role="img" aria-label={summary}>
      <figcaption className="text-sm font-medium text-slate-800">{purposeKey}</figcaption>
      <div className="h-48 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={signed}
            stackOffset="sign"
            margin={{ top: 4, right: 8, bottom: 4, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#334155" }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#334155" }} />
            <Tooltip formatter={(value) => Math.abs(Number(value))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <ReferenceLine y={0} stroke="#64748b" />
            <Bar
              dataKey="granted"
              name={grantedLabel}
              stackId="activity"
              fill="#15803d"
              isAnimationActive={false}
            />
            <Bar
              dataKey="withdrawn"
              name={withdrawnLabel}
              stackId="activity"
              fill="#b91c1c"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
