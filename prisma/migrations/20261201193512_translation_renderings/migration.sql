-- CreateTable
CREATE TABLE "translation_renderings" (
    "translation_id" UUID NOT NULL,
    "renderer" INTEGER NOT NULL,
    "html" TEXT NOT NULL,
    "html_sha256" CHAR(64) NOT NULL,
    "toc" JSONB NOT NULL,
    "rendered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "translation_renderings_pkey" PRIMARY KEY ("translation_id")
);

-- CreateTable
CREATE TABLE "translation_diffs" (
    "from_translation_id" UUID NOT NULL,
    "to_translation_id" UUID NOT NULL,
    "format" INTEGER NOT NULL,
    "diff" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "translation_diffs_pkey" PRIMARY KEY ("from_translation_id","to_translation_id")
);

-- CreateIndex
CREATE INDEX "translation_diffs_to_translation_id_idx" ON "translation_diffs"("to_translation_id");

-- AddForeignKey
ALTER TABLE "translation_renderings" ADD CONSTRAINT "translation_renderings_translation_id_fkey" FOREIGN KEY ("translation_id") REFERENCES "agreement_translations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "translation_diffs" ADD CONSTRAINT "translation_diffs_from_translation_id_fkey" FOREIGN KEY ("from_translation_id") REFERENCES "agreement_translations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "translation_diffs" ADD CONSTRAINT "translation_diffs_to_translation_id_fkey" FOREIGN KEY ("to_translation_id") REFERENCES "agreement_translations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
