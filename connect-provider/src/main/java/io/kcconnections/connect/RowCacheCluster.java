package io.kcconnections.connect;

import java.util.Collection;
import java.util.List;

import io.kcconnections.connect.store.RowCache;
import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterEvent;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.cache.infinispan.events.CacheKeyInvalidatedEvent;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Carries {@link RowCache} invalidations between the nodes of a cluster over Keycloak's own cluster notifications
 * (the replicated work cache its realm and user caches use), under a task key of ours. The event type is Keycloak's
 * {@code CacheKeyInvalidatedEvent}, which its marshaller already knows: one per changed row id or lookup key.
 */
final class RowCacheCluster {

    static final String TASK = "kc-connect-row-cache";
    private static final Logger LOG = Logger.getLogger(RowCacheCluster.class);

    private RowCacheCluster() {
    }

    /** Listens for other nodes' invalidations and sends this node's. */
    static void wire(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            ClusterProvider cluster = session.getProvider(ClusterProvider.class);
            if (cluster == null) {
                LOG.warn("connect: no cluster provider; the row cache is invalidated on this node only");
                return;
            }
            cluster.registerListener(TASK, RowCacheCluster::received);
        });
        RowCache.broadcastWith(RowCacheCluster::send);
    }

    private static void received(ClusterEvent event) {
        if (event instanceof CacheKeyInvalidatedEvent e) {
            RowCache.invalidated(List.of(e.getId()));
        }
    }

    private static void send(KeycloakSession session, Collection<String> changed) {
        try {
            ClusterProvider cluster = session.getProvider(ClusterProvider.class);
            if (cluster != null) {
                cluster.notify(TASK, changed.stream().map(CacheKeyInvalidatedEvent::new).toList(), true,
                        ClusterProvider.DCNotify.ALL_DCS);
            }
        } catch (RuntimeException e) {
            // The entries on other nodes still expire (row-cache-seconds).
            LOG.warnf("connect: could not announce row changes to the cluster: %s", e.toString());
        }
    }
}
