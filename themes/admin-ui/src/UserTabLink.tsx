import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { Link, matchPath, useLocation } from "react-router-dom";
import { userConnectionsUrl } from "./paths";

const USER_PAGE = "/:realm/users/:id/:tab";
const DETAILS_TAB = '[data-testid="user-details-tab"]';

/**
 * A "Connections" tab on Keycloak's user page. The page's tabs are Keycloak's own component, with no way to add one,
 * so the tab is a link in a list item of our own placed right after "Details" (where it is in view however many tabs
 * the page has); it leads to our page for the user, which shows the same tabs. Nothing else of Keycloak's page is
 * touched, and the item goes when the page does.
 */
export const UserTabLink = () => {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const match = matchPath(USER_PAGE, pathname);
  const onUserPage = !!match && match.params.tab !== "connections";
  const [slot, setSlot] = useState<HTMLLIElement | null>(null);

  useEffect(() => {
    setSlot(null);
    if (!onUserPage) return;
    const item = document.createElement("li");
    item.className = "pf-v5-c-tabs__item";
    const place = () => {
      const details = document.querySelector(DETAILS_TAB)?.closest("li");
      if (!details) return false;
      details.after(item);
      setSlot(item);
      return true;
    };
    const observer = new MutationObserver(() => place() && observer.disconnect());
    if (!place()) observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      item.remove();
    };
  }, [pathname, onUserPage]);

  if (!onUserPage || !slot) return null;
  return createPortal(
    <Link
        className="pf-v5-c-tabs__link"
        data-testid="user-connections-tab"
        to={userConnectionsUrl(decodeURIComponent(match.params.realm!), match.params.id!)}
      >
      <span className="pf-v5-c-tabs__item-text">{t("kccConnections")}</span>
    </Link>,
    slot,
  );
};
