import type { ReactNode } from "react";

interface SectionProps {
  /** Names the heading `${id}-heading`, which labels the section for screen readers. */
  id: string;
  title: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Section({ id, title, className = "space-y-3", children }: SectionProps) {
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId} className={className}>
      <h2 id={headingId} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}
