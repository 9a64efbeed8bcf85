import { CONTROL_CLASS, Field } from "@/components/ui/field";

interface SelectFieldProps {
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  anyLabel: string;
  errors?: string[] | undefined;
}

/** A labelled <select> with an "any" choice; errors are tied to it like TextField's. */
export function SelectField({ name, label, value, options, anyLabel, errors }: SelectFieldProps) {
  return (
    <Field id={name} label={label} errors={errors}>
      {(control) => (
        <select name={name} defaultValue={value ?? ""} className={CONTROL_CLASS} {...control}>
          <option value="">{anyLabel}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
