import { AdminClientProvider, AppContexts, Header, PageBreadCrumbs, useAccess } from "@keycloak/keycloak-admin-ui";
import { Page, PageSection, Spinner, Title } from "@patternfly/react-core";
import { PropsWithChildren, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useMatches } from "react-router-dom";
import { AlertsProvider } from "./Alerts";
import { Nav } from "./Nav";
import { UserTabLink } from "./UserTabLink";

/** Keycloak's admin console layout (its masthead, breadcrumbs and contexts) with our navigation around the pages. */
export const Root = () => (
  <AdminClientProvider>
    <AppContexts>
      <Page
        header={<Header />}
        isManagedSidebar
        sidebar={<Nav />}
        breadcrumb={<PageBreadCrumbs />}
        mainContainerId="kc-main-content-page-container"
      >
        <AlertsProvider>
          <Suspense fallback={<Spinner />}>
            <AccessGate>
              <Outlet />
            </AccessGate>
          </Suspense>
        </AlertsProvider>
        <UserTabLink />
      </Page>
    </AppContexts>
  </AdminClientProvider>
);

type Handle = { access?: string | string[] };

/** As Keycloak's console: a page whose route needs roles the admin lacks says so instead of failing on every call. */
const AccessGate = ({ children }: PropsWithChildren) => {
  const { t } = useTranslation();
  const { hasAccess } = useAccess();
  const needed = useMatches().flatMap(({ handle }) => {
    const access = (handle as Handle | undefined)?.access;
    return access === undefined ? [] : Array.isArray(access) ? access : [access];
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  if (hasAccess(...(needed as any[]))) return <>{children}</>;
  return (
    <PageSection variant="light">
      <Title headingLevel="h1">{t("forbidden", { count: needed.length })}</Title>
      <p>{needed.join(", ")}</p>
    </PageSection>
  );
};
