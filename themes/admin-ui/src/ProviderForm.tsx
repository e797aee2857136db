import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Alert,
  Button,
  ExpandableSection,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Modal,
  PageSection,
  Spinner,
  Switch,
  TextInput,
} from "@patternfly/react-core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useAlerts } from "./Alerts";
import { ApiError, type CatalogEntry, type ProviderConfig } from "./api";
import { PageHeader } from "./PageHeader";
import { providersUrl } from "./paths";
import { StatusLabel } from "./StatusLabel";
import { useConnectApi } from "./useApi";

const MASKED = "**********";
const OVERRIDES = ["authorizeUrl", "tokenUrl", "userinfoUrl", "revokeUrl"] as const;

type Fields = {
  enabled: boolean;
  clientId: string;
  clientSecret: string;
  scopes: string;
  loginEnabled: boolean;
  loginConnect: boolean;
  allowedClients: string;
  pkce: "" | "true" | "false";
  overrides: Record<(typeof OVERRIDES)[number], string>;
  values: Record<string, string>;
};

function fieldsOf(c: ProviderConfig | undefined): Fields {
  const realmSecret = c?.source === "realm" && c.clientSecretSet;
  return {
    enabled: c?.enabled ?? true,
    clientId: c?.clientId ?? "",
    // A stored plain secret shows masked (sent back, it keeps the secret); a vault reference shows as itself.
    clientSecret: realmSecret ? (c?.clientSecret ?? MASKED) : "",
    scopes: (c?.scopes ?? []).join(" "),
    loginEnabled: !!c?.loginEnabled,
    loginConnect: !!c?.loginConnect,
    allowedClients: (c?.allowedClients ?? []).join(" "),
    pkce: c?.pkce === true ? "true" : c?.pkce === false ? "false" : "",
    overrides: Object.fromEntries(OVERRIDES.map((k) => [k, c?.source === "realm" ? (c?.[k] ?? "") : ""])) as Fields["overrides"],
    values: { ...(c?.values ?? {}) },
  };
}

function bodyOf(f: Fields): ProviderConfig {
  const words = (s: string) => s.split(/[\s,]+/).filter(Boolean);
  const body: ProviderConfig = {
    enabled: f.enabled,
    clientId: f.clientId.trim() || null,
    clientSecret: f.clientSecret.trim() || null,
    scopes: words(f.scopes),
    loginEnabled: f.loginEnabled,
    loginConnect: f.loginConnect,
    allowedClients: words(f.allowedClients),
    pkce: f.pkce === "" ? null : f.pkce === "true",
    values: Object.fromEntries(Object.entries(f.values).filter(([, v]) => v.trim() !== "")),
  };
  for (const k of OVERRIDES) body[k] = f.overrides[k].trim() || null;
  return body;
}

/** Enable and configure one provider for the realm; validated by the server with the same rules as the REST API. */
export default function ProviderForm() {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { name = "" } = useParams();
  const api = useConnectApi();
  const alerts = useAlerts();
  const navigate = useNavigate();
  const [entry, setEntry] = useState<CatalogEntry | null>();
  const [config, setConfig] = useState<ProviderConfig>();
  const [fields, setFields] = useState<Fields>(fieldsOf(undefined));
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const problemsRef = useRef<HTMLDivElement>(null);

  // A refused save says why at the top of the form: bring it into view.
  useEffect(() => {
    if (problems.length > 0) problemsRef.current?.scrollIntoView({ block: "start" });
  }, [problems]);

  useEffect(() => {
    const abort = new AbortController();
    Promise.all([api.catalog(abort.signal), api.provider(name, abort.signal)])
      .then(([catalog, c]) => {
        setEntry(catalog.find((e) => e.name === name) ?? null);
        setConfig(c);
        setFields(fieldsOf(c));
      })
      .catch((e) => !abort.signal.aborted && alerts.error(t("kccLoadError"), e));
    return () => abort.abort();
  }, [api, name]);

  const set = (patch: Partial<Fields>) => setFields((f) => ({ ...f, ...patch }));

  const save = async () => {
    setSaving(true);
    setProblems([]);
    try {
      const saved = await api.saveProvider(name, bodyOf(fields));
      setConfig(saved);
      setFields(fieldsOf(saved));
      alerts.add(t("kccProviderSaved", { name: entry?.displayName ?? name }));
    } catch (e) {
      setProblems(e instanceof ApiError && e.problems.length > 0 ? e.problems : [e instanceof Error ? e.message : String(e)]);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    setConfirmRemove(false);
    try {
      await api.removeProvider(name);
      alerts.add(t("kccProviderRemoved", { name: entry?.displayName ?? name }));
      navigate(providersUrl(realm));
    } catch (e) {
      alerts.error(t("kccRemoveError"), e);
    }
  };

  if (entry === undefined) return <Spinner aria-label={t("kccLoading")} />;
  if (entry === null)
    return <PageHeader title={name} description={t("kccUnknownProvider")} extra={<Link to={providersUrl(realm)}>{t("kccBack")}</Link>} />;

  const realmConfig = config?.source === "realm";
  return (
    <>
      <PageHeader
        title={entry.displayName}
        description={t("kccProviderFormDescription", { name: entry.name, category: entry.category ?? "" })}
        extra={<StatusLabel config={config} />}
      />
      <PageSection variant="light">
        {config?.source === "env" && <Alert isInline variant="info" title={t("kccEnvironmentConfig")} className="pf-v5-u-mb-md" />}
        <div ref={problemsRef}>
          {problems.length > 0 && (
            <Alert isInline variant="danger" title={t("kccRefused")} className="pf-v5-u-mb-md" data-testid="kcc-problems">
              <ul>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </Alert>
          )}
        </div>
        <Form isWidthLimited onSubmit={(e) => { e.preventDefault(); save(); }}>
          <FormGroup label={t("kccEnabled")} fieldId="kcc-enabled">
            <Switch id="kcc-enabled" isChecked={fields.enabled} onChange={(_e, v) => set({ enabled: v })} label={t("on")} labelOff={t("off")} />
          </FormGroup>
          <FormGroup label={t("clientId")} isRequired fieldId="kcc-client-id">
            <TextInput id="kcc-client-id" value={fields.clientId} onChange={(_e, v) => set({ clientId: v })} />
          </FormGroup>
          <FormGroup label={t("clientSecret")} fieldId="kcc-client-secret">
            <TextInput
              id="kcc-client-secret"
              type={fields.clientSecret.startsWith("${vault.") ? "text" : "password"}
              value={fields.clientSecret}
              autoComplete="new-password"
              onChange={(_e, v) => set({ clientSecret: v })}
            />
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{t("kccClientSecretHelp")}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          </FormGroup>
          <FormGroup label={t("kccScopes")} fieldId="kcc-scopes">
            <TextInput
              id="kcc-scopes"
              value={fields.scopes}
              placeholder={(entry.defaultScopes ?? []).join(" ")}
              onChange={(_e, v) => set({ scopes: v })}
            />
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{t("kccScopesHelp")}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          </FormGroup>
          {entry.params.map((p) => (
            <FormGroup key={p.name} label={p.name} isRequired={p.required && !p.perConnection && !p.default} fieldId={`kcc-value-${p.name}`}>
              <TextInput
                id={`kcc-value-${p.name}`}
                value={fields.values[p.name] ?? ""}
                placeholder={p.default ?? p.example ?? ""}
                onChange={(_e, v) => set({ values: { ...fields.values, [p.name]: v } })}
              />
              <FormHelperText>
                <HelperText>
                  <HelperTextItem>
                    {p.description}
                    {p.perConnection ? ` ${t("kccPerConnection")}` : ""}
                  </HelperTextItem>
                </HelperText>
              </FormHelperText>
            </FormGroup>
          ))}
          <FormGroup label={t("kccLoginEnabled")} fieldId="kcc-login">
            <Switch
              id="kcc-login"
              isChecked={fields.loginEnabled}
              isDisabled={!entry.loginCapable && !fields.loginEnabled}
              onChange={(_e, v) => set({ loginEnabled: v })}
              label={t("on")}
              labelOff={t("off")}
            />
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{entry.loginCapable ? t("kccLoginHelp") : `${t("kccLoginNotCapable")}${entry.loginRefusal ? ` (${entry.loginRefusal})` : ""}`}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          </FormGroup>
          {fields.loginEnabled && (
            <FormGroup label={t("kccLoginConnect")} fieldId="kcc-login-connect">
              <Switch id="kcc-login-connect" isChecked={fields.loginConnect} onChange={(_e, v) => set({ loginConnect: v })} label={t("on")} labelOff={t("off")} />
            </FormGroup>
          )}
          <FormGroup label={t("kccAllowedClients")} fieldId="kcc-allowed-clients">
            <TextInput id="kcc-allowed-clients" value={fields.allowedClients} onChange={(_e, v) => set({ allowedClients: v })} />
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{t("kccAllowedClientsHelp")}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          </FormGroup>
          <ExpandableSection toggleText={t("kccOverrides")}>
            {OVERRIDES.map((k) => (
              <FormGroup key={k} label={t(`kcc_${k}`)} fieldId={`kcc-${k}`}>
                <TextInput
                  id={`kcc-${k}`}
                  type="url"
                  value={fields.overrides[k]}
                  onChange={(_e, v) => set({ overrides: { ...fields.overrides, [k]: v } })}
                />
              </FormGroup>
            ))}
            <FormGroup label="PKCE" fieldId="kcc-pkce">
              <FormSelect id="kcc-pkce" value={fields.pkce} onChange={(_e, v) => set({ pkce: v as Fields["pkce"] })}>
                <FormSelectOption value="" label={t("kccPkceDefault", { mode: entry.pkce ?? "supported" })} />
                <FormSelectOption value="true" label={t("kccPkceRequired")} />
                <FormSelectOption value="false" label={t("kccPkceOff")} />
              </FormSelect>
            </FormGroup>
          </ExpandableSection>
          <ActionGroup>
            <Button type="submit" variant="primary" isLoading={saving} isDisabled={saving} data-testid="kcc-save">
              {realmConfig ? t("save") : t("kccEnable")}
            </Button>
            <Button variant="link" component={(p) => <Link {...p} to={providersUrl(realm)} />}>
              {t("cancel")}
            </Button>
            {realmConfig && (
              <Button variant="danger" onClick={() => setConfirmRemove(true)} data-testid="kcc-remove">
                {t("kccRemoveConfig")}
              </Button>
            )}
          </ActionGroup>
        </Form>
      </PageSection>
      <Modal
        variant="small"
        title={t("kccRemoveConfigTitle", { name: entry.displayName })}
        isOpen={confirmRemove}
        onClose={() => setConfirmRemove(false)}
        actions={[
          <Button key="confirm" variant="danger" onClick={remove} data-testid="kcc-remove-confirm">
            {t("kccRemoveConfig")}
          </Button>,
          <Button key="cancel" variant="link" onClick={() => setConfirmRemove(false)}>
            {t("cancel")}
          </Button>,
        ]}
      >
        {t("kccRemoveConfigBody")}
      </Modal>
    </>
  );
}
