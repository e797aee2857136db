import { useRealm } from "@keycloak/keycloak-admin-ui";
import { Button, Label } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Connection } from "./api";
import { ConfirmModal } from "./ConfirmModal";
import { userConnectionsUrl } from "./paths";

const STATUS_COLOR: Record<string, "green" | "orange" | "red"> = { active: "green", degraded: "orange", needs_reauth: "red" };

export const ConnectionStatus = ({ c }: { c: Connection }) => {
  const { t } = useTranslation();
  return (
    <Label isCompact color={STATUS_COLOR[c.status] ?? "grey"} title={c.status_reason ?? undefined}>
      {t(`kccStatus_${c.status}`)}
    </Label>
  );
};

const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/**
 * Connections with a revoke action (revoked at the provider first, then removed). {@code users} maps user ids to
 * usernames where the page knows them; the realm-wide page links each user to their Connections tab.
 */
export const ConnectionsTable = ({
  connections,
  users,
  onRevoke,
}: {
  connections: Connection[];
  users?: Map<string, string>;
  onRevoke: (c: Connection) => Promise<void>;
}) => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const [toRevoke, setToRevoke] = useState<Connection>();
  return (
    <>
      <Table aria-label={t("kccConnections")} variant="compact" data-testid="kcc-connections-table">
        <Thead>
          <Tr>
            <Th>{t("kccConnectionId")}</Th>
            <Th>{t("kccProvider")}</Th>
            {users && <Th>{t("kccUser")}</Th>}
            <Th>{t("kccAccount")}</Th>
            <Th>{t("kccStatus")}</Th>
            <Th>{t("kccApp")}</Th>
            <Th>{t("kccLastRefresh")}</Th>
            <Th>{t("kccLastUsed")}</Th>
            <Th screenReaderText={t("kccActions")} />
          </Tr>
        </Thead>
        <Tbody>
          {connections.map((c) => (
            <Tr key={`${c.provider}/${c.user_id}/${c.connection_id}`} data-testid={`kcc-connection-${c.connection_id}`}>
              <Td dataLabel={t("kccConnectionId")}>{c.connection_id}</Td>
              <Td dataLabel={t("kccProvider")}>{c.provider}</Td>
              {users && (
                <Td dataLabel={t("kccUser")}>
                  <Link to={userConnectionsUrl(realm, c.user_id)}>{users.get(c.user_id) ?? c.user_id}</Link>
                </Td>
              )}
              <Td dataLabel={t("kccAccount")}>{c.account_name ?? c.account_id ?? "—"}</Td>
              <Td dataLabel={t("kccStatus")}>
                <ConnectionStatus c={c} />
                {c.status_reason && <div className="pf-v5-u-font-size-sm pf-v5-u-color-200">{c.status_reason}</div>}
              </Td>
              <Td dataLabel={t("kccApp")}>{c.app ?? c.owner_client ?? "—"}</Td>
              <Td dataLabel={t("kccLastRefresh")}>{when(c.last_refresh_at)}</Td>
              <Td dataLabel={t("kccLastUsed")}>{when(c.last_used_at)}</Td>
              <Td isActionCell>
                <Button variant="secondary" isDanger onClick={() => setToRevoke(c)} data-testid={`kcc-revoke-${c.connection_id}`}>
                  {t("kccRevoke")}
                </Button>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      <ConfirmModal item={toRevoke} title={t("kccRevokeTitle", { id: toRevoke?.connection_id ?? "" })}
        action={t("kccRevoke")} testId="kcc-revoke-confirm" onClose={() => setToRevoke(undefined)} onConfirm={onRevoke}>
        {t("kccRevokeBody", { provider: toRevoke?.provider ?? "" })}
      </ConfirmModal>
    </>
  );
};
