interface RadioGroupProps {
  name: string;
  legend: string;
  options: { value: string; label: string; hint?: string }[];
  defaultValue?: string;
  errors?: string[] | undefined;
}

/** A fieldset of radio buttons with a legend; its error is announced and tied to the group. */
export function RadioGroup({ name, legend, options, defaultValue, errors }: RadioGroupProps) {
  const errorId = errors?.length ? `${name}-error` : undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={errorId}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {options.map((option) => {
        const id = `${name}-${option.value}`;
        return (
          <div key={option.value} className="flex items-start gap-2">
            <input
              id={id}
              type="radio"
              name={name}
              value={option.value}
              defaultChecked={defaultValue === option.value}
              className="mt-1"
              aria-describedby={option.hint ? `${id}-hint` : undefined}
            />
            <label htmlFor={id} className="text-sm text-slate-800">
              {option.label}
              {option.hint ? (
                <span id={`${id}-hint`} className="block text-xs text-slate-600">
                  {option.hint}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
      {errorId ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {errors?.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
