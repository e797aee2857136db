import { Label } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import type { ProviderConfig } from "./api";

/** A provider's state in this realm: enabled, disabled, refused (problems), or not configured. */
export const StatusLabel = ({ config }: { config?: ProviderConfig }) => {
  const { t } = useTranslation();
  if (!config) return <Label isCompact>{t("kccNotConfigured")}</Label>;
  const env = config.source === "env" ? ` (${t("kccFromEnvironment")})` : "";
  if (config.status === "problems")
    return (
      <Label isCompact color="red" title={(config.problems ?? []).join("\n")}>
        {t("kccStatusProblems") + env}
      </Label>
    );
  if (config.status === "disabled") return <Label isCompact color="orange">{t("kccStatusDisabled") + env}</Label>;
  return (
    <Label isCompact color="green">
      {t("kccStatusEnabled") + env}
    </Label>
  );
};
