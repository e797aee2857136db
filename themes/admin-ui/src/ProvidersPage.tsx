import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  Label,
  MenuToggle,
  PageSection,
  SearchInput,
  Select,
  SelectList,
  SelectOption,
  Spinner,
  Switch,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAlerts } from "./Alerts";
import type { CatalogEntry, ProviderConfig } from "./api";
import { PageHeader } from "./PageHeader";
import { providerUrl } from "./paths";
import { StatusLabel } from "./StatusLabel";
import { useConnectApi } from "./useApi";

/** "Providers": the catalog, searchable by name and category, with what this realm has configured. */
export default function ProvidersPage() {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const api = useConnectApi();
  const alerts = useAlerts();
  const [catalog, setCatalog] = useState<CatalogEntry[]>();
  const [configs, setConfigs] = useState<ProviderConfig[]>([]);
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState<string>();
  const [categoryOpen, setCategoryOpen] = useState(false);
  const [configuredOnly, setConfiguredOnly] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    Promise.all([api.catalog(abort.signal), api.providers(abort.signal)])
      .then(([c, p]) => {
        setCatalog(c);
        setConfigs(p);
      })
      .catch((e) => !abort.signal.aborted && alerts.error(t("kccLoadError"), e));
    return () => abort.abort();
  }, [api]);

  const byName = useMemo(() => new Map(configs.map((c) => [c.name, c])), [configs]);
  const categories = useMemo(
    () => [...new Set((catalog ?? []).map((c) => c.category).filter((c): c is string => !!c))].sort(),
    [catalog],
  );
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (catalog ?? []).filter(
      (c) =>
        (!needle || c.name.includes(needle) || c.displayName.toLowerCase().includes(needle)) &&
        (!category || c.category === category) &&
        (!configuredOnly || byName.has(c.name)),
    );
  }, [catalog, search, category, configuredOnly, byName]);

  return (
    <>
      <PageHeader title={t("kccProviders")} description={t("kccProvidersDescription")} />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <SearchInput
                aria-label={t("kccSearchProviders")}
                placeholder={t("kccSearchProviders")}
                value={search}
                onChange={(_e, v) => setSearch(v)}
                onClear={() => setSearch("")}
                data-testid="kcc-provider-search"
              />
            </ToolbarItem>
            <ToolbarItem>
              <Select
                isOpen={categoryOpen}
                selected={category}
                onSelect={(_e, v) => {
                  setCategory(v === "" ? undefined : (v as string));
                  setCategoryOpen(false);
                }}
                onOpenChange={setCategoryOpen}
                toggle={(ref) => (
                  <MenuToggle ref={ref} onClick={() => setCategoryOpen(!categoryOpen)} data-testid="kcc-category">
                    {category ?? t("kccAllCategories")}
                  </MenuToggle>
                )}
              >
                <SelectList>
                  <SelectOption value="">{t("kccAllCategories")}</SelectOption>
                  {categories.map((c) => (
                    <SelectOption key={c} value={c}>
                      {c}
                    </SelectOption>
                  ))}
                </SelectList>
              </Select>
            </ToolbarItem>
            <ToolbarItem alignSelf="center">
              <Switch
                id="kcc-configured-only"
                label={t("kccConfiguredOnly")}
                isChecked={configuredOnly}
                onChange={(_e, v) => setConfiguredOnly(v)}
              />
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {catalog === undefined ? (
          <Spinner aria-label={t("kccLoading")} />
        ) : (
          <Table aria-label={t("kccProviders")} variant="compact" data-testid="kcc-providers-table">
            <Thead>
              <Tr>
                <Th>{t("kccProvider")}</Th>
                <Th>{t("kccCategory")}</Th>
                <Th>{t("kccStatus")}</Th>
                <Th>{t("kccCapabilities")}</Th>
                <Th screenReaderText={t("kccActions")} />
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((c) => {
                const config = byName.get(c.name);
                return (
                  <Tr key={c.name} data-testid={`kcc-provider-${c.name}`}>
                    <Td dataLabel={t("kccProvider")}>
                      <Link to={providerUrl(realm, c.name)}>{c.displayName}</Link>{" "}
                      <span className="pf-v5-u-color-200">{c.name}</span>
                    </Td>
                    <Td dataLabel={t("kccCategory")}>{c.category}</Td>
                    <Td dataLabel={t("kccStatus")}>
                      <StatusLabel config={config} />
                    </Td>
                    <Td dataLabel={t("kccCapabilities")}>
                      {c.loginCapable && <Label isCompact className="pf-v5-u-mr-xs">{t("kccLogin")}</Label>}
                      {c.deviceFlow && <Label isCompact className="pf-v5-u-mr-xs">{t("kccDevice")}</Label>}
                      {c.clientCredentials && <Label isCompact>{t("kccClientCredentials")}</Label>}
                    </Td>
                    <Td isActionCell>
                      <Button variant="secondary" component={(p) => <Link {...p} to={providerUrl(realm, c.name)} />}>
                        {config ? t("kccConfigure") : t("kccEnable")}
                      </Button>
                    </Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
        )}
        {catalog !== undefined && rows.length === 0 && (
          <p className="pf-v5-u-p-md" data-testid="kcc-no-providers">
            {t("kccNoProviderMatches")}
          </p>
        )}
      </PageSection>
    </>
  );
}
