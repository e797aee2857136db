import type { AdminEnvironment } from "@keycloak/keycloak-admin-ui";

/** What Keycloak's admin console page (index.ftl) injects as JSON in <script id="environment">. */
export const environment: AdminEnvironment = JSON.parse(document.getElementById("environment")?.textContent ?? "{}");
