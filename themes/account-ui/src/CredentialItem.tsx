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
  Stack,
  StackItem,
  Title,
} from "@patternfly/react-core";
import { CheckCircleIcon, ExclamationCircleIcon } from "@patternfly/react-icons";
import { useTranslation } from "react-i18next";
import type { Credential } from "./api";

type Props = {
  credential: Credential;
  title: string;
  locale: string;
  busy: boolean;
  onRemove: (c: Credential) => void;
};

const HEALTH: Record<string, { color: "green" | "red"; icon: JSX.Element }> = {
  healthy: { color: "green", icon: <CheckCircleIcon /> },
  unhealthy: { color: "red", icon: <ExclamationCircleIcon /> },
};

/**
 * One stored credential under {@code title} (what it is for): its type, health and dates (never a secret value);
 * remove.
 */
export const CredentialItem = ({ credential: c, title, locale, busy, onRemove }: Props) => {
  const { t } = useTranslation();
  const status = c.health?.status ?? "unknown";
  const health = HEALTH[status];
  const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(locale) : t("kccNever"));
  const id = `kcc-credential-${c.connection_id}`;

  return (
    <DataListItem aria-labelledby={`${id}-name`} id={id} data-testid="kcc-credential" data-connection-id={c.connection_id}>
      <DataListItemRow>
        <DataListItemCells
          dataListCells={[
            <DataListCell key="what" width={2}>
              <Stack>
                <StackItem>
                  <Title headingLevel="h3" size="md" id={`${id}-name`}>
                    {title}
                  </Title>
                </StackItem>
                <StackItem>{t(`kccCredentialType_${c.type}`, { defaultValue: c.type })}</StackItem>
                <StackItem>
                  <Label color={health?.color ?? "grey"} icon={health?.icon} data-testid="kcc-health" data-status={status}>
                    {t(`kccHealth_${status}`, { defaultValue: status })}
                  </Label>
                </StackItem>
              </Stack>
            </DataListCell>,
            <DataListCell key="details" width={3}>
              <DescriptionList isCompact isHorizontal termWidth="10em">
                <DescriptionListGroup>
                  <DescriptionListTerm>{t("kccCredentialId")}</DescriptionListTerm>
                  <DescriptionListDescription>{c.connection_id}</DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                  <DescriptionListTerm>{t("kccLastCheck")}</DescriptionListTerm>
                  <DescriptionListDescription>{when(c.health?.last_check_at)}</DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                  <DescriptionListTerm>{t("kccUpdatedAt")}</DescriptionListTerm>
                  <DescriptionListDescription>{when(c.updated_at)}</DescriptionListDescription>
                </DescriptionListGroup>
              </DescriptionList>
            </DataListCell>,
          ]}
        />
        <DataListAction id={`${id}-actions`} aria-labelledby={`${id}-name ${id}-actions`} aria-label={t("kccActions")}>
          <Button variant="danger" isDisabled={busy} onClick={() => onRemove(c)} data-testid="kcc-remove-credential">
            {t("kccRemove")}
          </Button>
        </DataListAction>
      </DataListItemRow>
    </DataListItem>
  );
};
