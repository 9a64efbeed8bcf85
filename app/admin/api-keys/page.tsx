import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listApiKeys } from "@/lib/api-keys/api-keys";
import { listSigningKeys } from "@/lib/tokens/signing-keys";
import { API_SCOPES } from "@/lib/api-keys/scopes";
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from "@/lib/api-keys/schemas";
import { CreateKeyForm } from "@/components/api-keys/create-key-form";
import { KeysTable } from "@/components/api-keys/keys-table";
import { TokenKeysTable } from "@/components/api-keys/token-keys-table";
import { ActionForm } from "@/components/admin/action-form";
import { Section } from "@/components/ui/section";
import { createApiKeyAction, revokeApiKeyAction, rotateTokenKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await connection();
  await requirePageActor("/admin/api-keys", ADMIN_ROLES);
  const t = await getTranslations("apiKeys");
  const [keys, tokenKeys] = await Promise.all([listApiKeys(), listSigningKeys()]);
  return (
    <div className="space-y-8">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </header>
      <CreateKeyForm
        action={createApiKeyAction}
        scopes={[...API_SCOPES]}
        defaultRateLimit={DEFAULT_RATE_LIMIT_PER_MINUTE}
      />
      <Section id="keys" title={t("keysHeading")}>
        <KeysTable keys={keys} revokeAction={revokeApiKeyAction} />
      </Section>
      <Section id="token-keys" title={t("tokenKeys.heading")}>
        <p className="max-w-3xl text-sm text-slate-700">{t("tokenKeys.intro")}</p>
        <TokenKeysTable keys={tokenKeys} />
        {tokenKeys.some((key) => key.state === "signing") ? (
          <ActionForm
            action={rotateTokenKeyAction}
            fields={{}}
            label={t("tokenKeys.rotate")}
            pendingLabel={t("tokenKeys.rotating")}
            variant="secondary"
            confirm={t("tokenKeys.rotateConfirm")}
          />
        ) : null}
      </Section>
    </div>
  );
}
