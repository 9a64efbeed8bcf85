-- CreateEnum
CREATE TYPE "ApiScope" AS ENUM ('status:read', 'consent:write', 'versions:read', 'webhooks:manage');

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "display_prefix" TEXT NOT NULL,
    "secret_sha256" CHAR(64) NOT NULL,
    "scopes" "ApiScope"[],
    "rate_limit_per_minute" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_secret_sha256_key" ON "api_keys"("secret_sha256");

-- CreateIndex
CREATE INDEX "api_keys_created_at_idx" ON "api_keys"("created_at" DESC);
