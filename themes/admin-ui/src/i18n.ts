import { createInstance } from "i18next";
import FetchBackend from "i18next-fetch-backend";
import { initReactI18next } from "react-i18next";
import { environment } from "./environment";

type KeyValue = { key: string; value: string };

/**
 * The admin theme's messages, loaded as Keycloak's admin console loads them: one namespace per realm (Keycloak's
 * console switches to the namespace of the realm it shows, for the realm's own message overrides),
 * GET {adminBaseUrl}/resources/{realm}/admin/{locale}. Our texts come from the kc-connections admin theme, which is
 * the sign-in realm's: that namespace is the fallback when the realm shown has another admin theme. One instance for
 * Keycloak's pages and ours (react-i18next is shared with @keycloak/keycloak-admin-ui).
 */
const home = encodeURIComponent(environment.realm);

export const i18n = createInstance({
  fallbackLng: "en",
  ns: [home],
  defaultNS: home,
  fallbackNS: home,
  keySeparator: ".",
  nsSeparator: false,
  interpolation: { escapeValue: false },
  backend: {
    loadPath: `${environment.adminBaseUrl}/resources/{{ns}}/admin/{{lng}}`,
    parse: (data: string) =>
      Object.fromEntries((JSON.parse(data) as KeyValue[]).map(({ key, value }) => [key, value])),
  },
});

i18n.use(FetchBackend);
i18n.use(initReactI18next);
