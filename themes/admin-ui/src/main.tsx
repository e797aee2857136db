import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "@keycloak/keycloak-admin-ui/styles.css";
import "./console.css";

import { KeycloakProvider, routes as adminRoutes } from "@keycloak/keycloak-admin-ui";
import type { TFunction } from "i18next";
import { lazy, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createHashRouter, RouteObject, RouterProvider } from "react-router-dom";
import { environment } from "./environment";
import { i18n } from "./i18n";
import { CONNECTIONS_PATH, PROVIDERS_PATH } from "./paths";
import { Root } from "./Root";

const ProvidersPage = lazy(() => import("./ProvidersPage"));
const ProviderForm = lazy(() => import("./ProviderForm"));
const ConnectionsPage = lazy(() => import("./ConnectionsPage"));
const UserConnections = lazy(() => import("./UserConnections"));

/** Our pages, beside Keycloak's; `handle` as Keycloak's routes have it (roles needed, breadcrumb). */
const connectRoutes: RouteObject[] = [
  {
    path: `/:realm${PROVIDERS_PATH}`,
    element: <ProvidersPage />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("kccProviders") },
  },
  {
    path: `/:realm${PROVIDERS_PATH}/:name`,
    element: <ProviderForm />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("kccProviderDetails") },
  },
  {
    path: `/:realm${CONNECTIONS_PATH}`,
    element: <ConnectionsPage />,
    handle: { access: "view-users", breadcrumb: (t: TFunction) => t("kccConnections") },
  },
  {
    path: "/:realm/users/:id/connections",
    element: <UserConnections />,
    handle: { access: "query-users", breadcrumb: (t: TFunction) => t("kccUserConnections") },
  },
];

// As Keycloak's console: a hash router, its routes and ours under one root.
const router = createHashRouter([{ path: "/", element: <Root />, children: [...connectRoutes, ...adminRoutes] }]);

await i18n.init();

createRoot(document.getElementById("app")!).render(
  <StrictMode>
    <KeycloakProvider environment={environment}>
      <RouterProvider router={router} />
    </KeycloakProvider>
  </StrictMode>,
);
