import type KeycloakAdminClient from "@keycloak/keycloak-admin-client";

/** The extension's admin API, /admin/realms/{realm}/connect, called with the console's own token. */

export type CatalogParam = {
  name: string;
  description?: string | null;
  required: boolean;
  default?: string | null;
  example?: string | null;
  perConnection: boolean;
};

export type CatalogEntry = {
  name: string;
  displayName: string;
  category?: string | null;
  docs?: string[];
  defaultScopes?: string[];
  pkce?: string | null;
  loginCapable: boolean;
  /** Why this entry cannot be offered for sign-in (null when it can). */
  loginRefusal?: string | null;
  deviceFlow: boolean;
  clientCredentials: boolean;
  revocable: boolean;
  params: CatalogParam[];
};

/** A realm's provider configuration, as GET and PUT /providers/{name} have it. */
export type ProviderConfig = {
  name?: string;
  displayName?: string;
  category?: string;
  source?: "realm" | "env" | string;
  enabled?: boolean;
  status?: string;
  problems?: string[];
  overridesEnvironment?: boolean;
  clientId?: string | null;
  clientSecret?: string | null;
  clientSecretSet?: boolean;
  scopes?: string[] | null;
  authorizeUrl?: string | null;
  tokenUrl?: string | null;
  userinfoUrl?: string | null;
  revokeUrl?: string | null;
  pkce?: boolean | null;
  loginEnabled?: boolean | null;
  loginConnect?: boolean | null;
  allowedClients?: string[] | null;
  values?: Record<string, string>;
  connectionParams?: string[];
};

/** A stored typed credential: metadata and health, never a secret value. */
export type Credential = {
  connection_id: string;
  type: string;
  provider?: string | null;
  user_id?: string | null;
  client?: string | null;
  fields?: Record<string, string>;
  secret_fields?: string[];
  updated_at?: string | null;
  health?: { status: string; last_check_at?: string | null; last_error?: string | null } | null;
};

export type Connection = {
  connection_id: string;
  provider: string;
  user_id: string;
  account_id?: string | null;
  account_name?: string | null;
  scopes?: string[] | null;
  status: string;
  status_reason?: string | null;
  last_refresh_at?: string | null;
  last_used_at?: string | null;
  created_at?: string | null;
  owner_client?: string | null;
  app?: string | null;
  grant_type?: string | null;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export class ConnectAdminApi {
  constructor(
    private readonly adminClient: KeycloakAdminClient,
    private readonly realm: string,
  ) {}

  private get base() {
    return `${this.adminClient.baseUrl}/admin/realms/${encodeURIComponent(this.realm)}/connect`;
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.adminClient.getAccessToken();
    const headers: Record<string, string> = { Accept: "application/json", Authorization: `Bearer ${token}` };
    if (init.body) headers["Content-Type"] = "application/json";
    const response = await fetch(this.base + path, { ...init, headers });
    if (!response.ok) {
      let code: string | undefined;
      let description = `HTTP ${response.status}`;
      let problems: string[] = [];
      try {
        const body = await response.json();
        code = body.error;
        description = body.error_description ?? body.errorMessage ?? description;
        problems = Array.isArray(body.problems) ? body.problems : [];
      } catch {
        // not JSON
      }
      throw new ApiError(response.status, code, description, problems);
    }
    return response;
  }

  async catalog(signal?: AbortSignal): Promise<CatalogEntry[]> {
    return (await (await this.call("/catalog", { signal })).json()).providers ?? [];
  }

  async providers(signal?: AbortSignal): Promise<ProviderConfig[]> {
    return (await this.call("/providers", { signal })).json();
  }

  /** The realm's configuration of a provider, or undefined when it has none (from the list: no 404 to report). */
  async provider(name: string, signal?: AbortSignal): Promise<ProviderConfig | undefined> {
    return (await this.providers(signal)).find((p) => p.name === name);
  }

  async saveProvider(name: string, config: ProviderConfig): Promise<ProviderConfig> {
    const path = `/providers/${encodeURIComponent(name)}`;
    return (await this.call(path, { method: "PUT", body: JSON.stringify(config) })).json();
  }

  async removeProvider(name: string): Promise<void> {
    await this.call(`/providers/${encodeURIComponent(name)}`, { method: "DELETE" });
  }

  async connections(filter: { status?: string; provider?: string; first: number; max: number }, signal?: AbortSignal) {
    const q = new URLSearchParams({ first: String(filter.first), max: String(filter.max) });
    if (filter.status) q.set("status", filter.status);
    if (filter.provider) q.set("provider", filter.provider);
    return (await (await this.call(`/connections?${q}`, { signal })).json()) as Connection[];
  }

  async userConnections(userId: string, signal?: AbortSignal): Promise<Connection[]> {
    return (await this.call(`/users/${encodeURIComponent(userId)}/connections`, { signal })).json();
  }

  async userCredentials(userId: string, signal?: AbortSignal): Promise<Credential[]> {
    return (await this.call(`/users/${encodeURIComponent(userId)}/credentials`, { signal })).json();
  }

  /** Deletes a user's stored credential (its secrets go with the row). */
  async removeUserCredential(c: Credential): Promise<void> {
    const path = `/users/${encodeURIComponent(c.user_id ?? "")}/credentials/${encodeURIComponent(c.connection_id)}`;
    await this.call(path, { method: "DELETE" });
  }

  /** Revokes at the provider (best effort), then removes the connection. */
  async revoke(c: Connection): Promise<void> {
    const q = new URLSearchParams({ provider: c.provider });
    const path = `/users/${encodeURIComponent(c.user_id)}/connections/${encodeURIComponent(c.connection_id)}?${q}`;
    await this.call(path, { method: "DELETE" });
  }
}
