-- CreateTable
CREATE TABLE "hosted_return_urls" (
    "id" UUID NOT NULL,
    "api_key_id" UUID NOT NULL,
    "url_prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID,

    CONSTRAINT "hosted_return_urls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hosted_link_uses" (
    "jti" TEXT NOT NULL,
    "subject_id" UUID,
    "outcome" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "hosted_link_uses_pkey" PRIMARY KEY ("jti")
);

-- CreateIndex
CREATE UNIQUE INDEX "hosted_return_urls_api_key_id_url_prefix_key" ON "hosted_return_urls"("api_key_id", "url_prefix");
