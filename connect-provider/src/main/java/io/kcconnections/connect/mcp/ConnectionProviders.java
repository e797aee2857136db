package io.kcconnections.connect.mcp;

import java.util.Map;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.store.Connection;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Finds the provider a connection uses: a realm's configured provider by name, or, for a connection to an MCP server
 * named by URL, the provider built from the realm's registration at its issuer.
 */
public final class ConnectionProviders {

    private static final Logger LOG = Logger.getLogger(ConnectionProviders.class);

    private final ProviderRegistry registry;
    private final McpConnect mcp;

    public ConnectionProviders(ProviderRegistry registry, McpConnect mcp) {
        this.registry = registry;
        this.mcp = mcp;
    }

    public ProviderRegistry registry() {
        return registry;
    }

    /** A provider configured in the realm, by name; null when it is not usable there. */
    public ResolvedProvider find(KeycloakSession session, RealmModel realm, String name) {
        return registry.find(session, realm, name);
    }

    /**
     * The provider resolved for one stored connection: the realm's configuration with the per-connection values the
     * connection was made with (kept in its metadata under {@link ProviderRegistry#CONNECTION_VALUE_PREFIX}). Null
     * when the provider is not usable in the realm any more, or the stored values are refused now (logged).
     */
    public ResolvedProvider forConnection(KeycloakSession session, RealmModel realm, Connection connection) {
        Map<String, String> metadata = connection.tokens().metadata();
        if (McpConnect.PROVIDER.equals(connection.provider())) {
            return mcp.provider(session, realm, metadata.get(McpConnect.ISSUER), metadata.get(McpConnect.RESOURCE));
        }
        ResolvedProvider base = registry.find(session, realm, connection.provider());
        if (base == null) {
            return null;
        }
        ResolvedProvider.Result r = base.withConnectionValues(ProviderRegistry.connectionValues(metadata));
        if (!r.ok()) {
            LOG.warnf("connection %s (%s): its per-connection values are refused now: %s", connection.id(),
                    connection.provider(), String.join("; ", r.problems()));
            return null;
        }
        return r.provider();
    }
}
