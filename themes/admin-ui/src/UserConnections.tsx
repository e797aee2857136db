import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import { PageSection, Spinner, Tab, Tabs, TabTitleText } from "@patternfly/react-core";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { useAlerts } from "./Alerts";
import type { Connection, Credential } from "./api";
import { ConnectionsTable } from "./ConnectionsTable";
import { CredentialsTable } from "./CredentialsTable";
import { EmptyConnections } from "./EmptyConnections";
import { PageHeader } from "./PageHeader";
import { useConnectApi } from "./useApi";

/** Keycloak's user page tabs that lead back to its own page (path segment, message key), Connections after Details. */
const USER_TABS: [string, string][] = [
  ["settings", "details"],
  ["connections", "kccConnections"],
  ["credentials", "credentials"],
  ["role-mapping", "roleMapping"],
  ["groups", "groups"],
  ["consents", "consents"],
  ["identity-provider-links", "identityProviderLinks"],
  ["sessions", "sessions"],
];

/** The "Connections" tab of a user: what the user connected, with revoke. */
export default function UserConnections() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();
  const api = useConnectApi();
  const alerts = useAlerts();
  const navigate = useNavigate();
  const [username, setUsername] = useState<string>();
  const [rows, setRows] = useState<Connection[]>();
  const [credentials, setCredentials] = useState<Credential[]>([]);

  const load = useCallback(async () => {
    try {
      const [c, k] = await Promise.all([api.userConnections(id), api.userCredentials(id)]);
      setRows(c);
      setCredentials(k);
    } catch (e) {
      setRows([]);
      alerts.error(t("kccLoadError"), e);
    }
  }, [api, id]);

  useEffect(() => {
    adminClient.users.findOne({ realm, id }).then((u) => setUsername(u?.username ?? id)).catch(() => setUsername(id));
    load();
  }, [id, realm, load]);

  const revoke = async (c: Connection) => {
    try {
      await api.revoke(c);
      alerts.add(t("kccRevoked", { id: c.connection_id }));
      await load();
    } catch (e) {
      alerts.error(t("kccRevokeError"), e);
    }
  };

  const removeCredential = async (c: Credential) => {
    try {
      await api.removeUserCredential(c);
      alerts.add(t("kccCredentialRemoved", { id: c.connection_id }));
      await load();
    } catch (e) {
      alerts.error(t("kccRemoveCredentialError"), e);
    }
  };

  const base = `/${encodeURIComponent(realm)}/users/${encodeURIComponent(id)}`;
  return (
    <>
      <PageHeader title={username ?? ""} />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Tabs
          isBox
          activeKey="connections"
          onSelect={(_e, key) => key !== "connections" && navigate(`${base}/${key}`)}
          aria-label={t("kccUserTabs")}
        >
          {USER_TABS.map(([path, key]) =>
            path !== "connections" ? (
              <Tab key={path} eventKey={path} title={<TabTitleText>{t(key)}</TabTitleText>} />
            ) : (
              <Tab key={path} eventKey={path} data-testid="user-connections-tab" title={<TabTitleText>{t(key)}</TabTitleText>}>
                <PageSection variant="light">
                  {rows === undefined ? (
                    <Spinner aria-label={t("kccLoading")} />
                  ) : rows.length === 0 ? (
                    <EmptyConnections />
                  ) : (
                    <ConnectionsTable connections={rows} onRevoke={revoke} />
                  )}
                  {credentials.length > 0 && <CredentialsTable credentials={credentials} onRemove={removeCredential} />}
                </PageSection>
              </Tab>
            ),
          )}
        </Tabs>
      </PageSection>
    </>
  );
}
