import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { Link, matchPath, useLocation } from "react-router-dom";
import { userConnectionsUrl } from "./paths";

const USER_PAGE = "/:realm/users/:id/:tab";
const DETAILS_TAB = '[data-testid="user-details-tab"]';

/**
 * A "Connections" tab on Keycloak's user page. The page's tabs are Keycloak's own component, with no way to add one,
 * so the tab is a link placed at the end of its tab list; it leads to our page for the user, which shows the same
 * tabs. Nothing else of Keycloak's page is touched.
 */
export const UserTabLink = () => {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const match = matchPath(USER_PAGE, pathname);
  const onUserPage = !!match && match.params.tab !== "connections";
  const [list, setList] = useState<Element | null>(null);

  useEffect(() => {
    setList(null);
    if (!onUserPage) return;
    const find = () => document.querySelector(DETAILS_TAB)?.closest("ul") ?? null;
    const found = find();
    if (found) {
      setList(found);
      return;
    }
    const observer = new MutationObserver(() => {
      const f = find();
      if (f) {
        observer.disconnect();
        setList(f);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [pathname, onUserPage]);

  if (!onUserPage || !list || !list.isConnected) return null;
  return createPortal(
    <li className="pf-v5-c-tabs__item">
      <Link
        className="pf-v5-c-tabs__link"
        data-testid="user-connections-tab"
        to={userConnectionsUrl(decodeURIComponent(match.params.realm!), match.params.id!)}
      >
        <span className="pf-v5-c-tabs__item-text">{t("kccConnections")}</span>
      </Link>
    </li>,
    list,
  );
};
