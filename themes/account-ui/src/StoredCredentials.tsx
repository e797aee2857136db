import { DataList, Title } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Credential } from "./api";
import { ConfirmModal } from "./ConfirmModal";
import { CredentialItem } from "./CredentialItem";

type Props = {
  credentials: Credential[];
  nameOf: (provider?: string | null) => string | undefined;
  locale: string;
  busy: boolean;
  onRemove: (c: Credential) => void;
};

/** "Stored credentials": the person's API keys, passwords and other non-OAuth credentials; remove after a confirm. */
export const StoredCredentials = ({ credentials, nameOf, locale, busy, onRemove }: Props) => {
  const { t } = useTranslation();
  const [toRemove, setToRemove] = useState<Credential>();
  const label = (c: Credential) => nameOf(c.provider) ?? c.fields?.base_url ?? c.fields?.host ?? c.connection_id;

  return (
    <>
      <Title headingLevel="h2" size="lg" className="pf-v5-u-mt-lg pf-v5-u-mb-sm">{t("kccCredentials")}</Title>
      <DataList aria-label={t("kccCredentials")} data-testid="kcc-credentials">
        {credentials.map((c) => (
          <CredentialItem key={c.connection_id} credential={c} title={label(c)} locale={locale}
            busy={busy} onRemove={setToRemove} />
        ))}
      </DataList>
      <ConfirmModal item={toRemove} title={t("kccRemoveCredentialTitle")} action={t("kccRemove")}
        testId="kcc-remove-credential-dialog" onClose={() => setToRemove(undefined)} onConfirm={onRemove}>
        {toRemove && t("kccRemoveCredentialBody", { name: label(toRemove) })}
      </ConfirmModal>
    </>
  );
};
