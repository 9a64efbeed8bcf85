// Prisma CLI configuration (Prisma 7). The CLI is only used for `generate`;
// migrations are applied by prisma/migrate.ts through the WebAssembly engine.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
