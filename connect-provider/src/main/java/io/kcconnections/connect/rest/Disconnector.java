package io.kcconnections.connect.rest;

import io.kcconnections.connect.ConnectService;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.TokenCodec;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.store.Connection;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Revokes a connection's grant at the provider (best effort, per its revoke spec) and deletes the connection. */
public final class Disconnector {

    private static final Logger LOG = Logger.getLogger(Disconnector.class);

    private Disconnector() {
    }

    /**
     * @return what happened at the provider: {@code revoked}, {@code unsupported} (no revocation endpoint),
     * {@code failed} (it refused or could not be reached; the connection is deleted anyway)
     */
    public static String disconnect(KeycloakSession session, RealmModel realm, Connection c, ClientModel caller) {
        ConnectService connect = session.getProvider(ConnectService.class);
        String revoked;
        ResolvedProvider p = connect.registry().forConnection(session, realm, c);
        if (p == null) {
            revoked = "unsupported";
        } else {
            try {
                KeyRing ring = connect.keyRing(realm);
                boolean done = connect.oauth().revoke(p, realm, TokenCodec.accessToken(ring, c), TokenCodec.refreshToken(ring, c));
                revoked = done ? "revoked" : "unsupported";
            } catch (ProviderCallException e) {
                LOG.infof("connection %s: revocation at %s failed (%s); deleting it anyway", c.id(), c.provider(), e.getMessage());
                revoked = "failed";
            } catch (Exception e) {
                LOG.infof("connection %s: revocation skipped (%s); deleting it anyway", c.id(), e.getMessage());
                revoked = "failed";
            }
        }
        connect.store().delete(c.id());
        ConnectEvents.disconnected(session, realm, caller, c.userId(), c.provider(), c.connectionId(), revoked);
        return revoked;
    }
}
