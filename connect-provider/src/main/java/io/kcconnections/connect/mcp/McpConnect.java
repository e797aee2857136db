package io.kcconnections.connect.mcp;

import io.kcconnections.connect.net.FetchException;
import io.kcconnections.connect.net.GuardedFetch;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.catalog.ProviderConfig;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.store.TokenCodec;
import io.kcconnections.connect.spi.template.ClientAuthMethod;
import io.kcconnections.connect.spi.template.PkceMode;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.RevokeSpec;
import io.kcconnections.connect.store.ClientRegistration;
import io.kcconnections.connect.store.ClientRegistrations;
import io.kcconnections.connect.store.Stores;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.util.JsonSerialization;

/**
 * Connections to MCP servers named by URL alone. Their provider name is {@value #PROVIDER}; each connection's
 * metadata records the server URL, the resource (RFC 8707) and the issuer, and the realm's registration at that
 * issuer (RFC 7591, persisted, shared by every node) supplies the client and the endpoints, so a refresh needs no
 * discovery and works after a restart.
 */
public final class McpConnect {

    public static final String PROVIDER = "mcp";
    public static final String SERVER_URL = "mcp.server_url";
    public static final String RESOURCE = "mcp.resource";
    public static final String ISSUER = "mcp.issuer";

    private static final Logger LOG = Logger.getLogger(McpConnect.class);

    private final ConnectSettings settings;
    private final HostPolicy policy;
    private final KeyRingSource keys;
    private final boolean serverHostname;

    /** @param serverHostname whether the server has its {@code hostname} configured (its URLs never come from requests) */
    public McpConnect(ConnectSettings settings, HostPolicy policy, KeyRingSource keys, boolean serverHostname) {
        this.settings = settings;
        this.policy = policy;
        this.keys = keys;
        this.serverHostname = serverHostname;
    }

    /** Discovery (cached) with the server's settings. */
    public McpDiscovery.McpServer discover(String serverUrl) throws FetchException {
        return McpDiscovery.discover(new GuardedFetch(policy, settings.mcpMaxDocumentBytes()), policy, serverUrl,
                settings.mcpDiscoveryTtlSeconds());
    }

    /**
     * The realm's registration at the server's authorization server: the stored one, or a new one made now. The
     * endpoints just discovered replace the stored ones when they changed.
     */
    public ClientRegistration registration(KeycloakSession session, RealmModel realm, McpDiscovery.McpServer server,
                                           String redirectUri, String person) throws FetchException {
        McpDiscovery.AuthorizationServer as = server.as();
        ClientRegistration existing = stored(session, realm, as.issuer());
        if (existing != null && existing.usableFor(redirectUri, System.currentTimeMillis())) {
            if (as.endpoints().equals(existing.endpoints())) {
                return existing;
            }
            long now = System.currentTimeMillis();
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(),
                    s -> Stores.registrations(s).updateEndpoints(existing.id(), as.endpoints(), now));
            return existing.withEndpoints(as.endpoints(), now);
        }
        requireConfiguredHostname(realm);
        if (existing == null) {
            requireQuota(session, realm, person);
        }
        if (as.registrationEndpoint() == null) {
            throw new FetchException(502, "mcp_registration_unavailable", "the authorization server "
                    + GuardedFetch.shown(as.issuer()) + " offers no dynamic client registration");
        }
        KeyRing ring;
        try {
            ring = keys.ring();
        } catch (KeyRingSource.KeyUnavailableException e) {
            throw new FetchException(503, "encryption_unavailable", "token encryption is not configured on this server");
        }
        String method = as.authMethods().isEmpty() || as.authMethods().contains("client_secret_basic") ? "client_secret_basic"
                : as.authMethods().contains("client_secret_post") ? "client_secret_post"
                : as.authMethods().contains("none") ? "none" : null;
        if (method == null) {
            throw new FetchException(502, "mcp_registration_unavailable", "the authorization server supports none of "
                    + "client_secret_basic, client_secret_post, none");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("client_name", "Keycloak Connections (" + realm.getName() + ")");
        request.put("redirect_uris", List.of(redirectUri));
        request.put("grant_types", List.of("authorization_code", "refresh_token"));
        request.put("response_types", List.of("code"));
        request.put("token_endpoint_auth_method", method);
        GuardedFetch fetch = new GuardedFetch(policy, settings.mcpMaxDocumentBytes());
        GuardedFetch.Answer a;
        try {
            a = fetch.postJson(as.registrationEndpoint(), JsonSerialization.writeValueAsString(request), "client registration");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (a.status() != 201 && a.status() != 200) {
            throw new FetchException(502, "mcp_registration_failed", "the authorization server refused the client registration (HTTP "
                    + a.status() + ")");
        }
        JsonNode j;
        try {
            j = JsonSerialization.mapper.readTree(a.body());
        } catch (IOException e) {
            j = null;
        }
        String clientId = j == null ? null : text(j, "client_id");
        if (clientId == null || clientId.length() > 255 || !clientId.matches("[\\x21-\\x7E]+")) {
            throw new FetchException(502, "mcp_registration_failed", "the registration answer has no usable client_id");
        }
        String secret = text(j, "client_secret");
        if (secret != null && (secret.contains("${") || secret.length() > 4096)) {
            // A vault reference would make this server send one of its own secrets to the stranger's token endpoint.
            throw new FetchException(502, "mcp_registration_failed", "the registration answer has an unusable client_secret");
        }
        String answeredMethod = text(j, "token_endpoint_auth_method");
        String authMethod = answeredMethod != null ? answeredMethod : method;
        if (!List.of("client_secret_basic", "client_secret_post", "none").contains(authMethod)
                || (secret == null && !authMethod.equals("none"))) {
            throw new FetchException(502, "mcp_registration_failed", "the registration answer's authentication method is unusable");
        }
        String regToken = text(j, "registration_access_token");
        String regUri = text(j, "registration_client_uri");
        Long secretExpires = j.has("client_secret_expires_at") && j.get("client_secret_expires_at").canConvertToLong()
                && j.get("client_secret_expires_at").asLong() > 0 ? j.get("client_secret_expires_at").asLong() * 1000 : null;
        long now = System.currentTimeMillis();
        String id = UUID.randomUUID().toString();
        ClientRegistration r = new ClientRegistration(id, realm.getId(), as.issuer(), clientId,
                secret == null ? null : ring.encrypt(secret, TokenCodec.aad(realm.getId(), id, ClientRegistration.SECRET)),
                regToken == null ? null : ring.encrypt(regToken, TokenCodec.aad(realm.getId(), id, ClientRegistration.REGISTRATION_TOKEN)),
                regUri != null && regUri.length() <= 2048 ? regUri : null, authMethod, redirectUri, as.endpoints(),
                secretExpires, ring.primaryKeyId(), ClientRegistration.DYNAMIC, now, now);
        ClientRegistrations.Quota quota = null;
        for (int attempt = 0; quota == null; attempt++) {
            try {
                quota = store(session, existing, r, person);
            } catch (RuntimeException e) {
                // Another node or request registered at this issuer at the same moment: use theirs. Else another
                // registration took the same quota slot: count again, once.
                ClientRegistration winner = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                        s -> Stores.registrations(s).find(realm.getId(), as.issuer()).orElse(null));
                if (winner != null) {
                    LOG.infof("realm %s: a concurrent registration at %s won; client %s is not used", realm.getName(),
                            GuardedFetch.shown(as.issuer()), clientId);
                    return winner;
                }
                if (attempt > 0) {
                    throw new FetchException(502, "mcp_registration_failed", "the registration could not be stored");
                }
            }
        }
        if (quota != ClientRegistrations.Quota.TAKEN) {
            // Another registration took the last slot while this one was made: the client at the server stays unused.
            LOG.infof("realm %s: client %s at %s is not used: the quota filled meanwhile", realm.getName(), clientId,
                    GuardedFetch.shown(as.issuer()));
            throw overQuota(quota);
        }
        LOG.infof("realm %s: registered client %s at %s (%s)", realm.getName(), clientId, GuardedFetch.shown(as.issuer()), authMethod);
        return r;
    }

    private ClientRegistrations.Quota store(KeycloakSession session, ClientRegistration existing, ClientRegistration r,
                                            String person) {
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
            ClientRegistrations store = Stores.registrations(s);
            if (existing != null) {
                store.delete(existing.id()); // registered for another redirect URI (the server's URL changed)
            }
            return store.insertWithin(r, person, settings.mcpMaxRegistrations(), settings.mcpMaxRegistrationsPerUser());
        });
    }

    /**
     * Refuses before anything is sent when the realm's or the person's quota of registrations is used up (the insert
     * checks again, atomically, for registrations made meanwhile).
     */
    private void requireQuota(KeycloakSession session, RealmModel realm, String person) throws FetchException {
        long[] have = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> new long[]{
                Stores.registrations(s).countDynamic(realm.getId()), Stores.registrations(s).countBy(realm.getId(), person)});
        if (have[0] >= settings.mcpMaxRegistrations()) {
            throw overQuota(ClientRegistrations.Quota.REALM_FULL);
        }
        if (have[1] >= settings.mcpMaxRegistrationsPerUser()) {
            throw overQuota(ClientRegistrations.Quota.PERSON_FULL);
        }
    }

    private static FetchException overQuota(ClientRegistrations.Quota quota) {
        return quota == ClientRegistrations.Quota.REALM_FULL
                ? new FetchException(403, "mcp_registration_limit", "this realm has as many clients at MCP authorization "
                        + "servers as it may have (mcp-max-registrations)")
                : new FetchException(403, "mcp_registration_limit", "this person's connects have registered as many clients "
                        + "at MCP authorization servers as one person may (mcp-max-registrations-per-user)");
    }

    /**
     * A registration fixes this realm's callback URL at a stranger's authorization server for every later user, so it
     * must come from the server's configuration ({@code hostname}, or the realm's Frontend URL), never from the
     * {@code Host} header of the request that happened to trigger it.
     */
    private void requireConfiguredHostname(RealmModel realm) throws FetchException {
        String frontend = realm.getAttribute("frontendUrl");
        if (!serverHostname && (frontend == null || frontend.isBlank())) {
            throw new FetchException(503, "hostname_required", "registering at an MCP authorization server needs the "
                    + "server's hostname configured (the hostname option, or the realm's Frontend URL)");
        }
    }

    /**
     * The provider for one MCP resource through a stored registration, as the connect flow and the refresher use
     * it: PKCE required, the resource parameter on the authorization, code and refresh requests (RFC 8707).
     *
     * @return null when the realm has no registration at the issuer any more, or it cannot be decrypted
     */
    public ResolvedProvider provider(KeycloakSession session, RealmModel realm, String issuer, String resource) {
        if (issuer == null || resource == null) {
            return null;
        }
        ClientRegistration reg = stored(session, realm, issuer);
        return reg == null ? null : provider(session, realm, reg, resource);
    }

    /** As {@link #provider(KeycloakSession, RealmModel, String, String)}, with the registration already in hand. */
    public ResolvedProvider provider(KeycloakSession session, RealmModel realm, ClientRegistration reg, String resource) {
        String issuer = reg.issuer();
        String secret;
        try {
            secret = reg.clientSecretCiphertext() == null ? null : keys.ring().decrypt(reg.clientSecretCiphertext(),
                    TokenCodec.aad(realm.getId(), reg.id(), ClientRegistration.SECRET));
        } catch (KeyRingSource.KeyUnavailableException | KeyRing.DecryptionException e) {
            LOG.errorf("realm %s: the registration at %s cannot be decrypted: %s", realm.getName(),
                    GuardedFetch.shown(issuer), e.getMessage());
            return null;
        }
        Map<String, String> ep = reg.endpoints();
        Map<String, String> resourceParam = Map.of("resource", resource);
        ClientAuthMethod auth = switch (reg.authMethod()) {
            case "client_secret_post" -> ClientAuthMethod.CLIENT_SECRET_POST;
            case "none" -> ClientAuthMethod.NONE;
            default -> ClientAuthMethod.CLIENT_SECRET_BASIC;
        };
        String revoke = ep.get("revocation_endpoint");
        ProviderTemplate t;
        try {
            t = new ProviderTemplate(PROVIDER, "MCP server", "mcp", null, ep.get("authorization_endpoint"),
                    ep.get("token_endpoint"), null, null, null, auth, null, null, null, null, resourceParam, resourceParam,
                    resourceParam, null, PkceMode.REQUIRED, null, null, null, null,
                    revoke == null ? null : new RevokeSpec(revoke, null, null, RevokeSpec.Which.REFRESH, null, null, true, null),
                    null, null, null, null, null, false, null, null);
        } catch (IllegalArgumentException e) {
            LOG.warnf("realm %s: the registration at %s is unusable: %s", realm.getName(), GuardedFetch.shown(issuer), e.getMessage());
            return null;
        }
        ProviderConfig c = new ProviderConfig(PROVIDER, "mcp", reg.clientId(), secret, null, null, null, null, null,
                Boolean.TRUE, Map.of(), null, null);
        ResolvedProvider.Result r = ResolvedProvider.resolve(t, c, policy);
        if (!r.ok()) {
            LOG.warnf("realm %s: the registration at %s is unusable: %s", realm.getName(), GuardedFetch.shown(issuer),
                    String.join("; ", r.problems()));
            return null;
        }
        return r.provider();
    }

    /**
     * The realm's registration at an issuer, read in a transaction of its own: it may have been written moments ago
     * by another transaction, which the request's own may not see (its persistence context, MariaDB's repeatable read).
     */
    static ClientRegistration stored(KeycloakSession session, RealmModel realm, String issuer) {
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                s -> Stores.registrations(s).find(realm.getId(), issuer).orElse(null));
    }

    /** A URL as logs may show it: no user info, query or fragment. */
    public static String shown(String url) {
        return GuardedFetch.shown(url);
    }

    private static String text(JsonNode j, String name) {
        JsonNode n = j.get(name);
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }
}
