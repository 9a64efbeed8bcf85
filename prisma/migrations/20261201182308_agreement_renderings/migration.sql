-- CreateTable
CREATE TABLE "agreement_renderings" (
    "version_id" UUID NOT NULL,
    "renderer" INTEGER NOT NULL,
    "html" TEXT NOT NULL,
    "html_sha256" CHAR(64) NOT NULL,
    "toc" JSONB NOT NULL,
    "rendered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_renderings_pkey" PRIMARY KEY ("version_id")
);

-- CreateTable
CREATE TABLE "agreement_diffs" (
    "from_version_id" UUID NOT NULL,
    "to_version_id" UUID NOT NULL,
    "format" INTEGER NOT NULL,
    "diff" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_diffs_pkey" PRIMARY KEY ("from_version_id","to_version_id")
);

-- CreateIndex
CREATE INDEX "agreement_diffs_to_version_id_idx" ON "agreement_diffs"("to_version_id");

-- AddForeignKey
ALTER TABLE "agreement_renderings" ADD CONSTRAINT "agreement_renderings_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "agreement_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreement_diffs" ADD CONSTRAINT "agreement_diffs_from_version_id_fkey" FOREIGN KEY ("from_version_id") REFERENCES "agreement_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreement_diffs" ADD CONSTRAINT "agreement_diffs_to_version_id_fkey" FOREIGN KEY ("to_version_id") REFERENCES "agreement_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
