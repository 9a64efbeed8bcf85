import type { HTMLAttributes } from "react";

/** Text someone wrote (a request, an answer, a note), shown with its line breaks. */
export function WrittenText(props: HTMLAttributes<HTMLParagraphElement>) {
  return (
    <p
      className="rounded-md bg-white p-4 text-sm whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
      {...props}
    />
  );
}
