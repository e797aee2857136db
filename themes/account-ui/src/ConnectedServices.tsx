import { Page, useAccountAlerts, useEnvironment, type AccountEnvironment } from "@keycloak/keycloak-account-ui";
import {
  AlertVariant,
  Button,
  DataList,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  EmptyStateHeader,
  EmptyStateIcon,
  Spinner,
  Stack,
  StackItem,
  Title,
} from "@patternfly/react-core";
import { CubesIcon } from "@patternfly/react-icons";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConnectApi, connectable, type Connection, type Credential, type Provider } from "./api";
import { ConnectionItem } from "./ConnectionItem";
import { AvailableProviders } from "./AvailableProviders";
import { StoredCredentials } from "./StoredCredentials";
import { ConfirmModal } from "./ConfirmModal";

/** The page's path under the account console (the theme's content.json names it too). */
export const CONNECTED_SERVICES_PATH = "connected-services";

/** Where the provider's round trip comes back: this page (one of account-console's redirect URIs). */
function pageUrl(baseUrl: string) {
  return (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + CONNECTED_SERVICES_PATH;
}

/** "Connected services": the signed-in person's connections, and connect / reconnect / disconnect. */
export const ConnectedServices = () => {
  const { t } = useTranslation();
  const context = useEnvironment<AccountEnvironment>();
  const { environment, keycloak } = context;
  const { addAlert, addError } = useAccountAlerts();
  const api = useMemo(() => ConnectApi.of(keycloak, environment.serverBaseUrl, environment.realm), [keycloak, environment]);

  const [providers, setProviders] = useState<Provider[]>();
  const [connections, setConnections] = useState<Connection[]>();
  const [credentials, setCredentials] = useState<Credential[]>([]);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [toRemove, setToRemove] = useState<Connection>();

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [p, c, k] = await Promise.all([api.providers(signal), api.connections(signal), api.credentials(signal)]);
        setProviders(p);
        setConnections(c);
        setCredentials(k);
        setFailed(false);
      } catch (e) {
        if (!signal?.aborted) {
          setFailed(true);
          addError("kccLoadError", e);
        }
      }
    },
    [api],
  );

  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal);
    return () => abort.abort();
  }, [load]);

  // Back from a connect: say how it went, then drop the answer from the address bar.
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    if (q.get("success") === "true") {
      addAlert(t("kccConnected"));
    } else if (q.has("error")) {
      addAlert(t("kccConnectFailed", { error: q.get("error") }), AlertVariant.danger);
    } else {
      return;
    }
    window.history.replaceState(window.history.state, "", window.location.pathname);
  }, []);

  const byName = useMemo(() => new Map((providers ?? []).map((p) => [p.name, p])), [providers]);
  const available = useMemo(() => (providers ?? []).filter(connectable), [providers]);

  const connect = async (provider: string, connectionId?: string) => {
    setBusy(true);
    try {
      window.location.assign(await api.authorizeUrl(provider, pageUrl(environment.baseUrl), connectionId));
    } catch (e) {
      setBusy(false);
      addError("kccConnectError", e);
    }
  };

  const disconnect = async (c: Connection) => {
    setBusy(true);
    try {
      await api.disconnect(c);
      addAlert(t("kccDisconnected", { name: byName.get(c.provider)?.display_name ?? c.provider }));
      await load();
    } catch (e) {
      addError("kccDisconnectError", e);
    } finally {
      setBusy(false);
    }
  };

  const removeCredential = async (c: Credential) => {
    setBusy(true);
    try {
      await api.removeCredential(c);
      addAlert(t("kccCredentialRemoved", { name: c.connection_id }));
      await load();
    } catch (e) {
      addError("kccRemoveCredentialError", e);
    } finally {
      setBusy(false);
    }
  };

  const loading = providers === undefined || connections === undefined;

  return (
    <Page title={t("kccTitle")} description={t("kccDescription")}>
      {loading && !failed && <Spinner aria-label={t("kccLoading")} />}
      {!loading && connections.length === 0 && (
        <EmptyState data-testid="kcc-empty">
          <EmptyStateHeader titleText={t("kccEmptyTitle")} icon={<EmptyStateIcon icon={CubesIcon} />} headingLevel="h2" />
          <EmptyStateBody>{available.length > 0 ? t("kccEmptyBody") : t("kccNothingToConnect")}</EmptyStateBody>
          {available.length > 0 && (
            <EmptyStateFooter>
              <EmptyStateActions>
                {available.map((p) => (
                  <Button key={p.name} variant="primary" isDisabled={busy} onClick={() => connect(p.name)}
                    data-testid={`kcc-connect-${p.name}`}>
                    {t("kccConnectProvider", { name: p.display_name })}
                  </Button>
                ))}
              </EmptyStateActions>
            </EmptyStateFooter>
          )}
        </EmptyState>
      )}
      {!loading && connections.length > 0 && (
        <Stack hasGutter>
          <StackItem>
            <DataList aria-label={t("kccListLabel")} data-testid="kcc-connections">
              {connections.map((c) => (
                <ConnectionItem key={`${c.provider}/${c.connection_id}`} connection={c} provider={byName.get(c.provider)}
                  locale={environment.locale} busy={busy}
                  onReconnect={(x) => connect(x.provider, x.connection_id)} onDisconnect={setToRemove} />
              ))}
            </DataList>
          </StackItem>
          {available.length > 0 && (
            <StackItem>
              <Title headingLevel="h2" size="lg" className="pf-v5-u-mt-lg pf-v5-u-mb-sm">{t("kccAvailable")}</Title>
              <AvailableProviders providers={available} busy={busy} onConnect={(p) => connect(p.name)} />
            </StackItem>
          )}
        </Stack>
      )}
      {!loading && credentials.length > 0 && (
        <StoredCredentials credentials={credentials} locale={environment.locale} busy={busy} onRemove={removeCredential}
          nameOf={(p) => (p ? byName.get(p)?.display_name ?? p : undefined)} />
      )}
      <ConfirmModal item={toRemove} title={t("kccDisconnectTitle")} action={t("kccDisconnect")}
        testId="kcc-disconnect-dialog" onClose={() => setToRemove(undefined)} onConfirm={disconnect}>
        {toRemove && t("kccDisconnectBody", {
          name: byName.get(toRemove.provider)?.display_name ?? toRemove.provider,
          account: toRemove.account_name || toRemove.account_id || toRemove.connection_id,
        })}
      </ConfirmModal>
    </Page>
  );
};
