package io.kcconnections.connect.refresh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.Leases;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The background pass's write-backs: refreshes whose provider calls succeeded are written a batch at a time, in one
 * transaction (one locking read, one batched flush, one commit, one cluster notification of the changed rows), each
 * only while its lease is still the pass's. If a batch cannot be written, each refresh is tried on its own; one that
 * still fails keeps its lease, which ends and makes the row due again.
 */
final class WriteBack {

    private static final Logger LOG = Logger.getLogger(WriteBack.class);

    /**
     * A refresh ready to be written: the claimed row, the lease owner, the new columns, how long the provider call
     * took, when it answered, and the single flight local readers wait on (null when written at once).
     */
    record Ready(Connection claimed, String owner, TokenColumns columns, long tookNanos, long at,
                 CompletableFuture<Refresher.Outcome> flight) {

        Leases.Completion completion() {
            return new Leases.Completion(claimed.id(), owner, columns, at);
        }
    }

    private final KeycloakSessionFactory sessionFactory;
    private final Refresher refresher;

    WriteBack(KeycloakSessionFactory sessionFactory, Refresher refresher) {
        this.sessionFactory = sessionFactory;
        this.refresher = refresher;
    }

    /** Writes a batch; returns how many landed (the others lost their lease or could not be written). */
    int write(List<Ready> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        Map<String, Connection> written;
        try {
            written = writeAll(batch);
        } catch (RuntimeException e) {
            LOG.warnf("writing back %d refreshes together failed (%s); writing them one by one", batch.size(), e.toString());
            written = new HashMap<>();
            for (Ready r : batch) {
                try {
                    written.putAll(writeAll(List.of(r)));
                } catch (RuntimeException one) {
                    LOG.warnf("connection %s: its refresh could not be written back (%s); it is retried when its lease ends",
                            r.claimed().id(), one.toString());
                }
            }
        }
        int landed = 0;
        for (Ready r : batch) {
            Connection after = written.get(r.claimed().id());
            Refresher.Outcome o;
            try {
                o = refresher.landed(r, after, null, null);
            } catch (RuntimeException e) {
                o = new Refresher.Busy(after);
            }
            if (o instanceof Refresher.Refreshed) {
                landed++;
            }
            refresher.settle(r, o);
        }
        return landed;
    }

    private Map<String, Connection> writeAll(List<Ready> batch) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                session -> complete(session, refresher.providers().registry(), batch));
    }

    /**
     * Writes refreshes in the session's transaction; a connection that is active again after failing is announced
     * ({@code connection.recovered} in the webhook outbox) in the same transaction.
     */
    static Map<String, Connection> complete(KeycloakSession session, ProviderRegistry registry, List<Ready> batch) {
        List<Leases.Completion> completions = new ArrayList<>(batch.size());
        batch.forEach(r -> completions.add(r.completion()));
        Map<String, Connection> written = Stores.leases(session).completeRefreshes(completions);
        for (Ready r : batch) {
            Connection after = written.get(r.claimed().id());
            if (after != null && r.claimed().status() != ConnectionStatus.ACTIVE) {
                Outbox.record(session, registry, after, Outbox.RECOVERED, Map.of());
            }
        }
        return written;
    }
}
