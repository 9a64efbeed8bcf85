"use client";

import { useFormatter } from "next-intl";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

interface ShareLineChartProps {
  data: { label: string; percent: number }[];
  seriesName: string;
  /** Text alternative: the chart's numbers are also in the table below it. */
  summary: string;
}

/** A share (0–100 %) over time. */
export function ShareLineChart({ data, seriesName, summary }: ShareLineChartProps) {
  const format = useFormatter();
  return (
    <figure className="h-64 w-full" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#334155" }} />
          <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12, fill: "#334155" }} />
          <Tooltip
            formatter={(value) =>
              format.number(Number(value) / 100, {
                style: "percent",
                minimumFractionDigits: 1,
                maximumFractionDigits: 1,
              })
            }
          />
          <Line
            type="linear"
            dataKey="percent"
            name={seriesName}
            stroke="#1d4ed8"
            strokeWidth={2}
            dot={data.length <= 26 ? { r: 3 } : false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
