export const DAY = 86_400_000;

/** yyyy-mm-dd, as date inputs and the publish form take it. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
