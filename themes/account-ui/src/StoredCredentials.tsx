import { Button, DataList, Modal, ModalVariant, Title } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Credential } from "./api";
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
          <CredentialItem key={c.connection_id} credential={c} providerName={nameOf(c.provider)} locale={locale}
            busy={busy} onRemove={setToRemove} />
        ))}
      </DataList>
      {toRemove && (
        <Modal variant={ModalVariant.small} isOpen title={t("kccRemoveCredentialTitle")} titleIconVariant="warning"
          onClose={() => setToRemove(undefined)} data-testid="kcc-remove-credential-dialog"
          actions={[
            <Button key="confirm" variant="danger" data-testid="kcc-confirm-remove-credential"
              onClick={() => { setToRemove(undefined); onRemove(toRemove); }}>
              {t("kccRemove")}
            </Button>,
            <Button key="cancel" variant="link" onClick={() => setToRemove(undefined)}>
              {t("kccCancel")}
            </Button>,
          ]}>
          {t("kccRemoveCredentialBody", { name: label(toRemove) })}
        </Modal>
      )}
    </>
  );
};
