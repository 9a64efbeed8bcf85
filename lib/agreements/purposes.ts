import "server-only";
import { prisma } from "@/lib/db";

export const purposeFields = {
  id: true,
  key: true,
  name: true,
  description: true,
  basic: true,
  dpvTerm: true,
  position: true,
  noticeSha256: true,
} as const;

/** The purposes a version declares, in the order the agreement presents them. */
export async function getPurposesOfVersion(versionId: string) {
  return prisma.purpose.findMany({
    where: { versionId },
    orderBy: [{ position: "asc" }, { key: "asc" }],
    select: purposeFields,
  });
}

export type VersionPurpose = Awaited<ReturnType<typeof getPurposesOfVersion>>[number];
