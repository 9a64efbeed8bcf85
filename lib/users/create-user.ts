import "server-only";
import { prisma } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { fail, ok, type Result } from "@/lib/result";
import type { Role } from "@/lib/generated/prisma/enums";
import { Prisma } from "@/lib/generated/prisma/client";
import { fieldMessage } from "@/lib/validation/messages";

export interface CreateUserOptions {
  email: string;
  password: string;
  role?: Role;
  /** The interface language the person signed up in, remembered in their profile. */
  locale?: string;
}

export async function createUser({
  email,
  password,
  role = "USER",
  locale,
}: CreateUserOptions): Promise<Result<{ id: string; email: string; role: Role }>> {
  const passwordHash = await hashPassword(password);
  try {
    const user = await prisma.user.create({
      data: { email, passwordHash, role, ...(locale ? { locale } : {}) },
      select: { id: true, email: true, role: true },
    });
    return ok(user);
  } catch (error) {
    // The unique index decides, so two simultaneous sign-ups cannot both win.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return fail(409, "email_taken", "An account with this email already exists.", {
        email: [fieldMessage("emailTaken")],
      });
    }
    throw error;
  }
}
