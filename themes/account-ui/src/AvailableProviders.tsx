import {
  Button,
  DataList,
  DataListAction,
  DataListCell,
  DataListItem,
  DataListItemCells,
  DataListItemRow,
  Split,
  SplitItem,
} from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import type { Provider } from "./api";
import { ProviderLogo } from "./ProviderLogo";

type Props = { providers: Provider[]; busy: boolean; onConnect: (p: Provider) => void };

/** The providers enabled for the realm that a person can connect from here. */
export const AvailableProviders = ({ providers, busy, onConnect }: Props) => {
  const { t } = useTranslation();
  return (
    <DataList aria-label={t("kccAvailable")} isCompact data-testid="kcc-available">
      {providers.map((p) => (
        <DataListItem key={p.name} aria-labelledby={`kcc-provider-${p.name}`}>
          <DataListItemRow>
            <DataListItemCells
              dataListCells={[
                <DataListCell key="name">
                  <Split hasGutter>
                    <SplitItem>
                      <ProviderLogo provider={p} name={p.display_name} />
                    </SplitItem>
                    <SplitItem isFilled className="pf-v5-u-align-self-center">
                      <span id={`kcc-provider-${p.name}`}>{p.display_name}</span>
                      {p.category && <span className="pf-v5-u-ml-sm pf-v5-u-color-200">{p.category}</span>}
                    </SplitItem>
                  </Split>
                </DataListCell>,
              ]}
            />
            <DataListAction id={`kcc-provider-${p.name}-action`} aria-labelledby={`kcc-provider-${p.name}`}
              aria-label={t("kccConnectProvider", { name: p.display_name })}>
              <Button variant="secondary" isDisabled={busy} onClick={() => onConnect(p)} data-testid={`kcc-connect-${p.name}`}>
                {t("kccConnect")}
              </Button>
            </DataListAction>
          </DataListItemRow>
        </DataListItem>
      ))}
    </DataList>
  );
};
