-- AlterTable
ALTER TABLE "agreement_versions" ADD COLUMN     "historical" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "import_sha256" CHAR(64),
ADD COLUMN     "label" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "agreement_versions_import_sha256_key" ON "agreement_versions"("import_sha256");
