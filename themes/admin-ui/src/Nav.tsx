import { routes, useAccess, useEnvironment, useRealm, useServerInfo, type AdminEnvironment } from "@keycloak/keycloak-admin-ui";
import { Label, Nav as PfNav, NavGroup, NavList, PageSidebar, PageSidebarBody } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import { NavLink, matchPath } from "react-router-dom";
import { CONNECTIONS_PATH, PROVIDERS_PATH } from "./paths";

type Access = Parameters<ReturnType<typeof useAccess>["hasAccess"]>[0];

/** An entry of the console's navigation, shown when the admin may open the page it leads to. */
const Item = ({ title, path, access }: { title: string; path: string; access?: Access[] }) => {
  const { t } = useTranslation();
  const { hasAccess } = useAccess();
  const { realm } = useRealm();
  // Keycloak's pages: the roles their route asks for; ours: the roles given here.
  const needed =
    access ??
    (() => {
      const route = routes.find((r) => matchPath({ path: r.path, end: false }, `/${realm}${path}`) && !r.path.includes("*"));
      if (!route) return undefined;
      const a = route.handle.access;
      return (Array.isArray(a) ? a : [a]) as Access[];
    })();
  if (!needed || !hasAccess(...needed)) return null;
  const id = "nav-item" + path.replace(/\//g, "-");
  return (
    <li className="pf-v5-c-nav__item">
      <NavLink
        id={id}
        data-testid={id}
        to={`/${encodeURIComponent(realm)}${path}`}
        className={({ isActive }) => `pf-v5-c-nav__link${isActive ? " pf-m-current" : ""}`}
      >
        {t(title)}
      </NavLink>
    </li>
  );
};

/**
 * Keycloak's admin navigation (Manage, Configure) with one more group, Connections: the provider catalog and the
 * realm's connections. The entries follow Keycloak's own, so the console reads the same with our pages added.
 */
export const Nav = () => {
  const { t } = useTranslation();
  const { environment } = useEnvironment<AdminEnvironment>();
  const { hasSomeAccess } = useAccess();
  const { realm, realmRepresentation } = useRealm();
  const { features } = useServerInfo();
  const on = (feature: string) => !!features?.some((f) => f.name === feature && f.enabled);
  const manage = hasSomeAccess("view-realm", "query-groups", "query-users", "query-clients", "view-events");
  const configure = hasSomeAccess("view-realm", "query-clients", "view-identity-providers");
  const connections = hasSomeAccess("view-realm", "view-users");
  return (
    <PageSidebar className="keycloak__page_nav__nav">
      <PageSidebarBody>
        <PfNav aria-label={t("kccNavLabel")}>
          <h2 className="pf-v5-c-nav__section-title" style={{ wordWrap: "break-word" }}>
            <span data-testid="currentRealm">{realmRepresentation?.displayName || realm}</span>{" "}
            <Label color="blue">{t("currentRealm")}</Label>
          </h2>
          {environment.masterRealm === environment.realm && (
            <NavList>
              <Item title="manageRealms" path="/realms" access={["view-realm"]} />
            </NavList>
          )}
          {manage && (
            <NavGroup aria-label={t("manage")} title={t("manage")}>
              {on("ORGANIZATION") && realmRepresentation?.organizationsEnabled && (
                <Item title="organizations" path="/organizations" />
              )}
              <Item title="clients" path="/clients" />
              <Item title="clientScopes" path="/client-scopes" />
              <Item title="realmRoles" path="/roles" />
              <Item title="users" path="/users" />
              <Item title="groups" path="/groups" />
              <Item title="sessions" path="/sessions" />
              <Item title="events" path="/events" />
            </NavGroup>
          )}
          {configure && (
            <NavGroup aria-label={t("configure")} title={t("configure")}>
              <Item title="realmSettings" path="/realm-settings" />
              <Item title="authentication" path="/authentication" />
              {on("ADMIN_FINE_GRAINED_AUTHZ_V2") && realmRepresentation?.adminPermissionsEnabled && (
                <Item title="permissions" path="/permissions" />
              )}
              <Item title="identityProviders" path="/identity-providers" />
              <Item title="userFederation" path="/user-federation" />
            </NavGroup>
          )}
          {connections && (
            <NavGroup aria-label={t("kccNavGroup")} title={t("kccNavGroup")}>
              <Item title="kccProviders" path={PROVIDERS_PATH} access={["view-realm"]} />
              <Item title="kccConnections" path={CONNECTIONS_PATH} access={["view-users"]} />
            </NavGroup>
          )}
        </PfNav>
      </PageSidebarBody>
    </PageSidebar>
  );
};
