import type Keycloak from "keycloak-js";

/** The extension's user API, /realms/{realm}/connect, called with the console's own token (client account-console). */

export type ConnectionParam = { name: string; required: boolean; default?: string | null };

export type Provider = {
  name: string;
  display_name: string;
  category?: string;
  logo_url?: string | null;
  grant_types?: string[];
  connection_params?: ConnectionParam[];
};

export type Connection = {
  connection_id: string;
  provider: string;
  account_id?: string | null;
  account_name?: string | null;
  scopes?: string[] | null;
  status: string;
  status_reason?: string | null;
  last_refresh_at?: string | null;
  last_used_at?: string | null;
  created_at?: string | null;
  app?: string | null;
  grant_type?: string | null;
};

/** A stored non-OAuth credential (API key, password, …): metadata only, never a secret value. */
export type Credential = {
  connection_id: string;
  type: string;
  provider?: string | null;
  fields?: Record<string, string>;
  secret_fields?: string[];
  created_at?: string | null;
  updated_at?: string | null;
  health?: { status: string; last_check_at?: string | null; last_error?: string | null } | null;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class ConnectApi {
  constructor(
    private readonly keycloak: Keycloak,
    private readonly base: string,
  ) {}

  static of(keycloak: Keycloak, serverBaseUrl: string, realm: string) {
    return new ConnectApi(keycloak, `${serverBaseUrl}/realms/${encodeURIComponent(realm)}/connect`);
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    await this.keycloak.updateToken(10);
    const response = await fetch(this.base + path, {
      ...init,
      headers: { Accept: "application/json", Authorization: `Bearer ${this.keycloak.token}` },
    });
    if (!response.ok) {
      let code: string | undefined;
      let description = `HTTP ${response.status}`;
      try {
        const body = await response.json();
        code = body.error;
        description = body.error_description ?? description;
      } catch {
        // not JSON
      }
      throw new ApiError(response.status, code, description);
    }
    return response;
  }

  async providers(signal?: AbortSignal): Promise<Provider[]> {
    return (await (await this.call("/providers", { signal })).json()).providers ?? [];
  }

  async connections(signal?: AbortSignal): Promise<Connection[]> {
    return (await (await this.call("/connections", { signal })).json()).connections ?? [];
  }

  async credentials(signal?: AbortSignal): Promise<Credential[]> {
    return (await (await this.call("/credentials", { signal })).json()).credentials ?? [];
  }

  /** Removes a stored credential (its secrets go with the row). */
  async removeCredential(c: Credential): Promise<void> {
    await this.call(`/credentials/${encodeURIComponent(c.connection_id)}`, { method: "DELETE" });
  }

  /** A start URL on Keycloak for this person; the browser goes there, then to the provider, then back to redirectUri. */
  async authorizeUrl(provider: string, redirectUri: string, connectionId?: string): Promise<string> {
    const q = new URLSearchParams({ provider, redirect_uri: redirectUri });
    if (connectionId) q.set("connection_id", connectionId);
    return (await (await this.call(`/authorize?${q}`)).json()).authorize_url;
  }

  /** Revokes at the provider (best effort), then removes the connection. */
  async disconnect(c: Connection): Promise<void> {
    const q = new URLSearchParams({ provider: c.provider });
    await this.call(`/connections/${encodeURIComponent(c.connection_id)}?${q}`, { method: "DELETE" });
  }
}

/** Providers a person can connect from the console: the authorization-code flow, no per-connection values to type. */
export function connectable(p: Provider): boolean {
  const code = !p.grant_types || p.grant_types.includes("authorization_code");
  const needsInput = (p.connection_params ?? []).some((x) => x.required && (x.default === undefined || x.default === null));
  return code && needsInput === false && p.name !== "mcp";
}
