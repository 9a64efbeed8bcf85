/** One yes/no check, said in words as well as colour. */
export function CheckResult({
  label,
  passed,
  yes,
  no,
}: {
  label: string;
  passed: boolean | null;
  yes: string;
  no: string;
}) {
  const tone = passed === null ? "text-slate-700" : passed ? "text-green-800" : "text-red-800";
  return (
    <div className="flex items-start justify-between gap-4 py-2">
      <dt className="text-slate-800">{label}</dt>
      <dd className={`font-semibold ${tone}`}>{passed === false ? `✗ ${no}` : passed ? `✓ ${yes}` : no}</dd>
    </div>
  );
}
