import "server-only";
import { env } from "@/lib/env";
import { createSealer, type Sealer } from "@/lib/secrets/seal";

let sealer: Sealer | undefined;

/** The app's sealer: SEALING_KEY, or NEXTAUTH_SECRET when that is unset. */
export function appSealer(): Sealer {
  return (sealer ??= createSealer(env.SEALING_KEY ?? env.NEXTAUTH_SECRET));
}
