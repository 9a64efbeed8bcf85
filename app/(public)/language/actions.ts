"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { chooseLocale } from "@/lib/i18n/choose-locale";
import { locales } from "@/lib/i18n/locales";
import { ok } from "@/lib/result";

const chooseLocaleSchema = z.strictObject({ locale: z.enum(locales) });

export const chooseLanguage = defineAction(
  { access: "public", schema: chooseLocaleSchema },
  async ({ locale }) => {
    await chooseLocale(locale);
    return ok({ locale });
  },
);
