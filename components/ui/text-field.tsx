import type { InputHTMLAttributes } from "react";
import { CONTROL_CLASS, Field } from "@/components/ui/field";

interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  hint?: string;
  errors?: string[] | undefined;
}

/** A labelled input whose errors are announced and tied to it with aria-describedby. */
export function TextField({ name, label, hint, errors, id = name, ...props }: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      {(control) => <input name={name} className={CONTROL_CLASS} {...control} {...props} />}
    </Field>
  );
}
