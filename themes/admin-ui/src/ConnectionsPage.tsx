import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  FormSelect,
  FormSelectOption,
  PageSection,
  SearchInput,
  Spinner,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAlerts } from "./Alerts";
import type { Connection } from "./api";
import { ConnectionsTable } from "./ConnectionsTable";
import { EmptyConnections } from "./EmptyConnections";
import { PageHeader } from "./PageHeader";
import { useConnectApi } from "./useApi";

const PAGE = 50;

/** "Connections": the realm's connections, filtered by status, provider and user; revoke. */
export default function ConnectionsPage() {
  const { t } = useTranslation();
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();
  const api = useConnectApi();
  const alerts = useAlerts();
  const [status, setStatus] = useState("");
  const [provider, setProvider] = useState("");
  const [providers, setProviders] = useState<string[]>([]);
  const [username, setUsername] = useState("");
  const [userFilter, setUserFilter] = useState("");
  const [first, setFirst] = useState(0);
  const [rows, setRows] = useState<Connection[]>();
  const [users, setUsers] = useState(new Map<string, string>());

  useEffect(() => {
    api.providers().then((p) => setProviders(p.map((x) => x.name!).sort())).catch(() => setProviders([]));
  }, [api]);

  const load = useCallback(async () => {
    setRows(undefined);
    try {
      let found: Connection[];
      if (userFilter) {
        // One person: Keycloak's user search by username, then that user's connections.
        const matches = await adminClient.users.find({ realm, username: userFilter, exact: true });
        found = matches.length === 0 ? [] : await api.userConnections(matches[0].id!);
        found = found.filter((c) => (!status || c.status === status) && (!provider || c.provider === provider));
      } else {
        found = await api.connections({ status, provider, first, max: PAGE + 1 });
      }
      setRows(found);
      const names = new Map(users);
      await Promise.all(
        [...new Set(found.map((c) => c.user_id))]
          .filter((id) => !names.has(id))
          .map(async (id) => {
            const u = await adminClient.users.findOne({ realm, id }).catch(() => undefined);
            names.set(id, u?.username ?? id);
          }),
      );
      setUsers(names);
    } catch (e) {
      setRows([]);
      alerts.error(t("kccLoadError"), e);
    }
  }, [api, status, provider, userFilter, first]);

  useEffect(() => {
    load();
  }, [load]);

  const revoke = async (c: Connection) => {
    try {
      await api.revoke(c);
      alerts.add(t("kccRevoked", { id: c.connection_id }));
      await load();
    } catch (e) {
      alerts.error(t("kccRevokeError"), e);
    }
  };

  const shown = rows?.slice(0, PAGE) ?? [];
  return (
    <>
      <PageHeader title={t("kccConnections")} description={t("kccConnectionsDescription")} />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <FormSelect aria-label={t("kccStatus")} value={status} onChange={(_e, v) => { setFirst(0); setStatus(v); }} data-testid="kcc-status-filter">
                <FormSelectOption value="" label={t("kccAnyStatus")} />
                {["active", "degraded", "needs_reauth"].map((s) => (
                  <FormSelectOption key={s} value={s} label={t(`kccStatus_${s}`)} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect aria-label={t("kccProvider")} value={provider} onChange={(_e, v) => { setFirst(0); setProvider(v); }} data-testid="kcc-provider-filter">
                <FormSelectOption value="" label={t("kccAnyProvider")} />
                {providers.map((p) => (
                  <FormSelectOption key={p} value={p} label={p} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <SearchInput
                aria-label={t("kccUserFilter")}
                placeholder={t("kccUserFilter")}
                value={username}
                onChange={(_e, v) => setUsername(v)}
                onSearch={() => { setFirst(0); setUserFilter(username.trim()); }}
                onClear={() => { setUsername(""); setUserFilter(""); }}
                data-testid="kcc-user-filter"
              />
            </ToolbarItem>
            {!userFilter && (
              <ToolbarItem variant="pagination" align={{ default: "alignRight" }}>
                <Button variant="plain" isDisabled={first === 0} onClick={() => setFirst(Math.max(0, first - PAGE))}>
                  {t("kccPrevious")}
                </Button>
                <Button variant="plain" isDisabled={(rows?.length ?? 0) <= PAGE} onClick={() => setFirst(first + PAGE)}>
                  {t("kccNext")}
                </Button>
              </ToolbarItem>
            )}
          </ToolbarContent>
        </Toolbar>
        {rows === undefined ? (
          <Spinner aria-label={t("kccLoading")} />
        ) : shown.length === 0 ? (
          <EmptyConnections />
        ) : (
          <ConnectionsTable connections={shown} users={users} onRevoke={revoke} />
        )}
      </PageSection>
    </>
  );
}
