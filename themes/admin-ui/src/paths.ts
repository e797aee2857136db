/** The console's paths of our pages, under /{realm}. */
export const PROVIDERS_PATH = "/connect/providers";
export const CONNECTIONS_PATH = "/connect/connections";

export const providersUrl = (realm: string) => `/${encodeURIComponent(realm)}${PROVIDERS_PATH}`;
export const providerUrl = (realm: string, name: string) =>
  `/${encodeURIComponent(realm)}${PROVIDERS_PATH}/${encodeURIComponent(name)}`;
export const connectionsUrl = (realm: string) => `/${encodeURIComponent(realm)}${CONNECTIONS_PATH}`;
export const userConnectionsUrl = (realm: string, userId: string) =>
  `/${encodeURIComponent(realm)}/users/${encodeURIComponent(userId)}/connections`;
export const userUrl = (realm: string, userId: string) =>
  `/${encodeURIComponent(realm)}/users/${encodeURIComponent(userId)}/settings`;
