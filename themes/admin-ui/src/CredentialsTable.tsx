import { Button, Label, Title } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Credential } from "./api";
import { ConfirmModal } from "./ConfirmModal";

const HEALTH_COLOR: Record<string, "green" | "red"> = { healthy: "green", unhealthy: "red" };
const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/** Stored typed credentials (API keys, passwords, SMTP, databases): type, target, health; delete after a confirm. */
export const CredentialsTable = ({
  credentials,
  onRemove,
}: {
  credentials: Credential[];
  onRemove: (c: Credential) => Promise<void>;
}) => {
  const { t } = useTranslation();
  const [toRemove, setToRemove] = useState<Credential>();
  return (
    <>
      <Title headingLevel="h2" size="lg" className="pf-v5-u-mt-lg pf-v5-u-mb-sm">{t("kccCredentials")}</Title>
      <Table aria-label={t("kccCredentials")} variant="compact" data-testid="kcc-credentials-table">
        <Thead>
          <Tr>
            <Th>{t("kccConnectionId")}</Th>
            <Th>{t("kccCredentialType")}</Th>
            <Th>{t("kccCredentialTarget")}</Th>
            <Th>{t("kccHealth")}</Th>
            <Th>{t("kccLastCheck")}</Th>
            <Th>{t("kccUpdated")}</Th>
            <Th screenReaderText={t("kccActions")} />
          </Tr>
        </Thead>
        <Tbody>
          {credentials.map((c) => {
            const status = c.health?.status ?? "unknown";
            return (
              <Tr key={c.connection_id} data-testid={`kcc-credential-${c.connection_id}`}>
                <Td dataLabel={t("kccConnectionId")}>{c.connection_id}</Td>
                <Td dataLabel={t("kccCredentialType")}>{c.type}</Td>
                <Td dataLabel={t("kccCredentialTarget")}>{c.provider ?? c.fields?.base_url ?? c.fields?.host ?? "—"}</Td>
                <Td dataLabel={t("kccHealth")}>
                  <Label isCompact color={HEALTH_COLOR[status] ?? "grey"} data-status={status}
                    title={c.health?.last_error ?? undefined}>
                    {t(`kccHealth_${status}`)}
                  </Label>
                </Td>
                <Td dataLabel={t("kccLastCheck")}>{when(c.health?.last_check_at)}</Td>
                <Td dataLabel={t("kccUpdated")}>{when(c.updated_at)}</Td>
                <Td isActionCell>
                  <Button variant="secondary" isDanger onClick={() => setToRemove(c)}
                    data-testid={`kcc-remove-credential-${c.connection_id}`}>
                    {t("kccRemoveCredential")}
                  </Button>
                </Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
      <ConfirmModal item={toRemove} title={t("kccRemoveCredentialTitle", { id: toRemove?.connection_id ?? "" })}
        action={t("kccRemoveCredential")} testId="kcc-remove-credential-confirm" onClose={() => setToRemove(undefined)}
        onConfirm={onRemove}>
        {t("kccRemoveCredentialBody")}
      </ConfirmModal>
    </>
  );
};
