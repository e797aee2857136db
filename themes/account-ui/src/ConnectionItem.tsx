import {
  Button,
  DataListAction,
  DataListCell,
  DataListItem,
  DataListItemCells,
  DataListItemRow,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
  Split,
  SplitItem,
  Stack,
  StackItem,
  Title,
} from "@patternfly/react-core";
import { CheckCircleIcon, ExclamationCircleIcon, ExclamationTriangleIcon } from "@patternfly/react-icons";
import { useTranslation } from "react-i18next";
import type { Connection, Provider } from "./api";
import { ProviderLogo } from "./ProviderLogo";

type Props = {
  connection: Connection;
  provider?: Provider;
  locale: string;
  busy: boolean;
  onReconnect: (c: Connection) => void;
  onDisconnect: (c: Connection) => void;
};

const STATUS: Record<string, { color: "green" | "orange" | "red"; icon: JSX.Element }> = {
  active: { color: "green", icon: <CheckCircleIcon /> },
  degraded: { color: "orange", icon: <ExclamationTriangleIcon /> },
  needs_reauth: { color: "red", icon: <ExclamationCircleIcon /> },
};

/** One connection: provider, account, status with its reason, scopes, dates; reconnect and disconnect. */
export const ConnectionItem = ({ connection: c, provider, locale, busy, onReconnect, onDisconnect }: Props) => {
  const { t } = useTranslation();
  const name = provider?.display_name ?? c.provider;
  const status = STATUS[c.status];
  const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(locale) : t("kccNever"));
  const id = `kcc-connection-${c.connection_id}`;

  return (
    <DataListItem aria-labelledby={`${id}-name`} id={id} data-testid="kcc-connection" data-connection-id={c.connection_id}>
      <DataListItemRow>
        <DataListItemCells
          dataListCells={[
            <DataListCell key="who" width={2}>
              <Split hasGutter>
                <SplitItem>
                  <ProviderLogo provider={provider} name={name} />
                </SplitItem>
                <SplitItem isFilled>
                  <Stack>
                    <StackItem>
                      <Title headingLevel="h3" size="md" id={`${id}-name`}>
                        {name}
                      </Title>
                    </StackItem>
                    <StackItem data-testid="kcc-account">{c.account_name || c.account_id || t("kccUnknownAccount")}</StackItem>
                    <StackItem>
                      <Label color={status?.color ?? "grey"} icon={status?.icon} data-testid="kcc-status" data-status={c.status}>
                        {t(`kccStatus_${c.status}`, { defaultValue: c.status })}
                      </Label>
                      {c.status !== "active" && c.status_reason && (
                        <span className="pf-v5-u-ml-sm pf-v5-u-color-200" data-testid="kcc-status-reason">
                          {t("kccStatusReason", { reason: c.status_reason })}
                        </span>
                      )}
                    </StackItem>
                  </Stack>
                </SplitItem>
              </Split>
            </DataListCell>,
            <DataListCell key="details" width={3}>
              <DescriptionList isCompact isHorizontal termWidth="10em">
                <DescriptionListGroup>
                  <DescriptionListTerm>{t("kccScopes")}</DescriptionListTerm>
                  <DescriptionListDescription>
                    {c.scopes && c.scopes.length > 0 ? (
                      <LabelGroup numLabels={6}>
                        {c.scopes.map((s) => (
                          <Label key={s} isCompact>
                            {s}
                          </Label>
                        ))}
                      </LabelGroup>
                    ) : (
                      t("kccNoScopes")
                    )}
                  </DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                  <DescriptionListTerm>{t("kccLastRefresh")}</DescriptionListTerm>
                  <DescriptionListDescription>{when(c.last_refresh_at)}</DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                  <DescriptionListTerm>{t("kccLastUse")}</DescriptionListTerm>
                  <DescriptionListDescription>{when(c.last_used_at)}</DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                  <DescriptionListTerm>{t("kccConnectedAt")}</DescriptionListTerm>
                  <DescriptionListDescription>{when(c.created_at)}</DescriptionListDescription>
                </DescriptionListGroup>
                {c.app && (
                  <DescriptionListGroup>
                    <DescriptionListTerm>{t("kccApp")}</DescriptionListTerm>
                    <DescriptionListDescription>{c.app}</DescriptionListDescription>
                  </DescriptionListGroup>
                )}
              </DescriptionList>
            </DataListCell>,
          ]}
        />
        <DataListAction id={`${id}-actions`} aria-labelledby={`${id}-name ${id}-actions`} aria-label={t("kccActions")}>
          <Button
            variant={c.status === "active" ? "secondary" : "primary"}
            isDisabled={busy || c.grant_type === "client_credentials"}
            onClick={() => onReconnect(c)}
            data-testid="kcc-reconnect"
          >
            {t("kccReconnect")}
          </Button>
          <Button variant="danger" isDisabled={busy} onClick={() => onDisconnect(c)} data-testid="kcc-disconnect">
            {t("kccDisconnect")}
          </Button>
        </DataListAction>
      </DataListItemRow>
    </DataListItem>
  );
};
