import type { TextareaHTMLAttributes } from "react";
import { CONTROL_CLASS, Field } from "@/components/ui/field";

interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  name: string;
  label: string;
  hint?: string;
  errors?: string[] | undefined;
}

/** A labelled textarea whose errors are announced and tied to it with aria-describedby. */
export function TextArea({ name, label, hint, errors, id = name, rows = 5, ...props }: TextAreaProps) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      {(control) => <textarea name={name} rows={rows} className={CONTROL_CLASS} {...control} {...props} />}
    </Field>
  );
}
