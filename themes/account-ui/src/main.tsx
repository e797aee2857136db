import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "../node_modules/@keycloak/keycloak-account-ui/lib/keycloak-account-ui.css";

import { KeycloakProvider, routes as accountRoutes } from "@keycloak/keycloak-account-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, Navigate, RouteObject, RouterProvider } from "react-router-dom";
import { CONNECTED_SERVICES_PATH, ConnectedServices } from "./ConnectedServices";
import { environment } from "./environment";
import { i18n } from "./i18n";
import { Root } from "./Root";

const routes: RouteObject[] = [
  {
    path: decodeURIComponent(new URL(environment.baseUrl).pathname),
    element: <Root />,
    children: [
      ...accountRoutes,
      { path: CONNECTED_SERVICES_PATH, element: <ConnectedServices /> },
      // As Keycloak's console: an unknown page leads back to the start.
      { path: "*", element: <Navigate to=".." replace /> },
    ],
  },
];

await i18n.init();

createRoot(document.getElementById("app")!).render(
  <StrictMode>
    <KeycloakProvider environment={environment}>
      <RouterProvider router={createBrowserRouter(routes)} />
    </KeycloakProvider>
  </StrictMode>,
);
