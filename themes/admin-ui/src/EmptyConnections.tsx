import { EmptyState, EmptyStateBody, EmptyStateHeader, EmptyStateIcon } from "@patternfly/react-core";
import { CubesIcon } from "@patternfly/react-icons";
import { useTranslation } from "react-i18next";

export const EmptyConnections = () => {
  const { t } = useTranslation();
  return (
    <EmptyState data-testid="kcc-no-connections">
      <EmptyStateHeader titleText={t("kccNoConnections")} icon={<EmptyStateIcon icon={CubesIcon} />} headingLevel="h2" />
      <EmptyStateBody>{t("kccNoConnectionsBody")}</EmptyStateBody>
    </EmptyState>
  );
};
