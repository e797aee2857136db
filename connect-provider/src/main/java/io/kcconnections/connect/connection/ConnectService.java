package io.kcconnections.connect.connection;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.credentials.CredentialCatalog;
import io.kcconnections.connect.credentials.HealthProber;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.limits.RateLimits;
import io.kcconnections.connect.mcp.ConnectionProviders;
import io.kcconnections.connect.mcp.McpCatalog;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.refresh.KeyRewrap;
import io.kcconnections.connect.refresh.RefreshPass;
import io.kcconnections.connect.refresh.Refresher;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * The connect flow for one Keycloak session: {@code session.getProvider(ConnectService.class)}. Each step of the
 * path has its class, reached from here: {@link #authorizations()} (authorize), {@link #starts()} (start),
 * {@link #callbacks()}
 * (callback, store), {@link #tokens()} (token, refresh on read), {@link #access()} (who may see or use a
 * connection), {@link #grants()} (device and client-credentials grants) and {@link #disconnects()}.
 */
public final class ConnectService implements Provider {

    private final KeycloakSession session;
    private final ConnectRuntime runtime;

    public ConnectService(KeycloakSession session, ConnectRuntime runtime) {
        this.session = session;
        this.runtime = runtime;
    }

    public KeycloakSession session() {
        return session;
    }

    /** The realm of the request. */
    public RealmModel realm() {
        return session.getContext().getRealm();
    }

    public Authorizations authorizations() {
        return new Authorizations(this);
    }

    /** Connect links minted by backends for their users. */
    public Links links() {
        return new Links(this);
    }

    public Starts starts() {
        return new Starts(this);
    }

    public Callbacks callbacks() {
        return new Callbacks(this);
    }

    public TokenReads tokens() {
        return new TokenReads(this);
    }

    public Access access() {
        return new Access(this);
    }

    public Grants grants() {
        return new Grants(this);
    }

    /** Step 4, store: writes a consent's tokens as a connection. */
    public ConnectionWriter writer() {
        return new ConnectionWriter(this);
    }

    /** This node's rate-limit buckets (see {@link Throttle}). */
    RateLimits limits() {
        return runtime.limits();
    }

    /**
     * Counts one verified delivery to a webhook route against its allowance a minute on this node (0: none); beyond
     * it a 429 {@code rate_limited} with {@code Retry-After} ({@link Throttle}).
     */
    public void throttleWebhookDelivery(String routeId, int perMinute) throws ConnectError {
        Throttle.webhookDelivery(this, routeId, perMinute);
    }

    /** Connections brought from another token store (admin import). */
    public Imports imports() {
        return new Imports(this);
    }

    /** The realm's clients at MCP authorization servers (admin). */
    public McpClients mcpClients() {
        return new McpClients(this);
    }

    /** Typed credentials: API keys, basic, bearer, SMTP, database, generic HTTP, OAuth app clients. */
    public Credentials credentials() {
        return new Credentials(this);
    }

    /** The bundled catalog of API-key, token and basic-auth providers. */
    public CredentialCatalog credentialCatalog() {
        return runtime.prober().checks().catalog();
    }

    /** Health checks of connections and credentials: background, per realm, or one now. */
    public HealthProber prober() {
        return runtime.prober();
    }

    /** The outbound-address policy the operator configured. */
    public HostPolicy runtimePolicy() {
        return runtime.policy();
    }

    public Disconnector disconnects() {
        return new Disconnector(this);
    }

    public ConnectSettings settings() {
        return runtime.settings();
    }

    public ProviderRegistry registry() {
        return runtime.registry();
    }

    public ConnectionProviders providers() {
        return runtime.providers();
    }

    /** Known remote MCP servers, installable by id ({@link McpInstalls}). */
    public McpCatalog mcpCatalog() {
        return runtime.mcpCatalog();
    }

    public McpInstalls mcpInstalls() {
        return new McpInstalls(this);
    }

    public McpConnect mcp() {
        return runtime.mcp();
    }

    /** The key ring for a realm (vault references resolve per realm). */
    public KeyRing keyRing(RealmModel realm) throws KeyRingSource.KeyUnavailableException {
        return runtime.keys().ring();
    }

    /** The key ring of the request's realm; 503 {@code encryption_unavailable} without a key. */
    public KeyRing keyRing() throws ConnectError {
        try {
            return keyRing(realm());
        } catch (KeyRingSource.KeyUnavailableException e) {
            throw new ConnectError(503, "encryption_unavailable",
                    "token encryption is not configured on this server; see the server log");
        }
    }

    /** The outbound-address policy (allow-private-hosts). */
    public HostPolicy policy() {
        return runtime.policy();
    }

    public OAuthClient oauth() {
        return new OAuthClient(session, runtime.policy(), OutboundHttp.Options.of(runtime.settings()));
    }

    /** Outbound calls to providers as the operator configured them (pinned client, total deadline, size cap). */
    public OutboundHttp outbound() {
        return new OutboundHttp(session, runtime.policy(), OutboundHttp.Options.of(runtime.settings()));
    }

    public Refresher refresher() {
        return runtime.refresher();
    }

    public RefreshPass refreshPass() {
        return runtime.refreshPass();
    }

    /** Moves stored secrets to the primary key after a rotation (background, and on demand). */
    public KeyRewrap keyRewrap() {
        return runtime.keyRewrap();
    }

    @Override
    public void close() {
    }
}
