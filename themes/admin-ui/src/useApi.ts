import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import { useMemo } from "react";
import { ConnectAdminApi } from "./api";

/** The extension's admin API for the realm the console shows. */
export function useConnectApi() {
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();
  return useMemo(() => new ConnectAdminApi(adminClient, realm), [adminClient, realm]);
}
