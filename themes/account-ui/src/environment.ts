import type { AccountEnvironment } from "@keycloak/keycloak-account-ui";

/** What Keycloak's account console page (index.ftl) injects as JSON in <script id="environment">. */
export const environment: AccountEnvironment = JSON.parse(
  document.getElementById("environment")?.textContent ?? "{}",
);
