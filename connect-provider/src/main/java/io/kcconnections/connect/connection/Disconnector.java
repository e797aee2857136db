package io.kcconnections.connect.connection;

import java.util.Map;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.TokenCodec;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** Revokes a connection's grant at the provider (best effort, per its revoke spec) and deletes the connection. */
public final class Disconnector {

    private static final Logger LOG = Logger.getLogger(Disconnector.class);

    private final ConnectService connect;

    Disconnector(ConnectService connect) {
        this.connect = connect;
    }

    /**
     * @return what happened at the provider: {@code revoked}, {@code unsupported} (no revocation endpoint),
     * {@code failed} (it refused or could not be reached; the connection is deleted anyway)
     */
    public String disconnect(RealmModel realm, Connection c, ClientModel caller) {
        String revoked = revoke(realm, c);
        Stores.connections(connect.session()).delete(c.id());
        // In the request's transaction: the events commit with the delete.
        if ("revoked".equals(revoked)) {
            Outbox.record(connect.session(), connect.registry(), c, Outbox.REVOKED, Map.of("status", "deleted"));
        }
        Outbox.record(connect.session(), connect.registry(), c, Outbox.DELETED, Map.of("status", "deleted", "revoked", revoked));
        ConnectEvents.disconnected(connect.session(), realm, caller, c.userId(), c.provider(), c.connectionId(), revoked);
        return revoked;
    }

    private String revoke(RealmModel realm, Connection c) {
        ResolvedProvider p = connect.providers().forConnection(connect.session(), realm, c);
        if (p == null) {
            return "unsupported";
        }
        if (!p.sameTokenOrigin(c.tokens().metadata())) {
            LOG.infof("connection %s: %s now points at another host than the connection was made with; its tokens are "
                    + "not sent there, revocation skipped", c.id(), c.provider());
            return "skipped";
        }
        try {
            KeyRing ring = connect.keyRing(realm);
            boolean done = connect.oauth().revoke(p, realm, TokenCodec.accessToken(ring, c), TokenCodec.refreshToken(ring, c));
            return done ? "revoked" : "unsupported";
        } catch (ProviderCallException e) {
            LOG.infof("connection %s: revocation at %s failed (%s); deleting it anyway", c.id(), c.provider(), e.getMessage());
            return "failed";
        } catch (Exception e) {
            LOG.infof("connection %s: revocation skipped (%s); deleting it anyway", c.id(), e.getMessage());
            return "failed";
        }
    }
}
