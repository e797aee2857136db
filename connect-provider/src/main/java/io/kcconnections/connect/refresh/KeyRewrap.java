package io.kcconnections.connect.refresh;

import java.util.List;

import io.kcconnections.connect.background.TimerWorker;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.store.ClientRegistration;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Credential;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.WebhookOut;
import io.kcconnections.connect.store.Webhooks;
import io.kcconnections.connect.store.TokenCodec;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Moves stored secrets to the primary encryption key after a rotation, so the old key can be dropped: connections'
 * tokens, pending device codes, MCP registrations' client secrets and registration tokens, and webhook routes' and
 * endpoints' secrets (an endpoint's previous secret too while it still signs after a rotation; an expired one is
 * dropped instead).
 * Online: a page of rows
 * per short transaction, each row written only if nobody changed it since it was read (a refresh meanwhile wrote
 * new ciphertexts under the primary key anyway). Resumable: it selects by the rows' key id, so a run that stops
 * (a restart, a node going away) leaves nothing half done, and the next run goes on from what is left. Runs in the
 * background every cleanup interval while rows remain on older keys, and on demand from the admin API.
 */
public final class KeyRewrap implements Runnable {

    private static final Logger LOG = Logger.getLogger(KeyRewrap.class);
    private static final int PAGE = 100;
    /** Rows one background run moves at most, so a big table is moved over several intervals. */
    static final int BACKGROUND_ROWS = 5_000;

    /** How far a realm (or the whole server) is: rows still on older keys, and those no configured key reads. */
    public record Progress(String primaryKeyId, List<String> keyIds, long connectionsOnOlderKeys,
                           long registrationsOnOlderKeys, long webhookRoutesOnOlderKeys, long webhookEndpointsOnOlderKeys,
                           long credentialsOnOlderKeys, int moved, int unreadable) {
        /** Whether nothing of the realm is left on an older key. */
        public boolean done() {
            return connectionsOnOlderKeys == 0 && registrationsOnOlderKeys == 0 && webhookRoutesOnOlderKeys == 0
                    && webhookEndpointsOnOlderKeys == 0 && credentialsOnOlderKeys == 0;
        }
    }

    private final KeycloakSessionFactory sessionFactory;
    private final KeyRingSource keys;
    private final TimerWorker worker = new TimerWorker("kc-connect-key-rewrap");

    public KeyRewrap(KeycloakSessionFactory sessionFactory, KeyRingSource keys) {
        this.sessionFactory = sessionFactory;
        this.keys = keys;
    }

    /**
     * The timer's tick: hands a background run to this worker's thread (never the timer's) and returns at once. The
     * run covers every realm, at most {@link #BACKGROUND_ROWS} rows; nothing when only one key is configured.
     */
    @Override
    public void run() {
        KeyRing ring = ring();
        if (ring != null && ring.keyIds().size() >= 2) {
            worker.tick(() -> background(ring));
        }
    }

    private void background(KeyRing ring) {
        try {
            Progress p = rewrap(ring, null, BACKGROUND_ROWS);
            if (p.moved() > 0 || p.unreadable() > 0) {
                LOG.infof("key re-wrap: %d rows moved to key %s; %d connections, %d registrations and "
                        + "%d webhook routes, %d webhook endpoints and %d credentials remain on older keys (%d unreadable)",
                        p.moved(), p.primaryKeyId(), p.connectionsOnOlderKeys(), p.registrationsOnOlderKeys(),
                        p.webhookRoutesOnOlderKeys(), p.webhookEndpointsOnOlderKeys(), p.credentialsOnOlderKeys(),
                        p.unreadable());
            }
        } catch (RuntimeException e) {
            LOG.warnf("key re-wrap failed: %s", e.toString());
        }
    }

    public void close() {
        worker.close();
    }

    /** Where a realm stands, without moving anything; null when no key is usable. */
    public Progress progress(String realmId) {
        KeyRing ring = ring();
        return ring == null ? null : progress(ring, realmId, 0, 0);
    }

    /**
     * Moves up to {@code maxRows} rows of a realm (every realm when null) to the primary key, then says where it
     * stands; null when no key is usable.
     */
    public Progress rewrap(String realmId, int maxRows) {
        KeyRing ring = ring();
        return ring == null ? null : rewrap(ring, realmId, maxRows);
    }

    private Progress rewrap(KeyRing ring, String realmId, int maxRows) {
        int[] counts = new int[2];
        String after = null;
        while (counts[0] + counts[1] < maxRows) {
            String from = after;
            List<Connection> page = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    s -> Stores.connections(s).onOtherKeys(realmId, ring.primaryKeyId(), from, PAGE));
            if (page.isEmpty()) {
                break;
            }
            for (Connection c : page) {
                counts[rewrapConnection(ring, c) ? 0 : 1]++;
            }
            after = page.get(page.size() - 1).id();
        }
        after = null;
        while (counts[0] + counts[1] < maxRows) {
            String from = after;
            List<ClientRegistration> page = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    s -> Stores.registrations(s).onOtherKeys(realmId, ring.primaryKeyId(), from, PAGE));
            if (page.isEmpty()) {
                break;
            }
            for (ClientRegistration r : page) {
                counts[rewrapRegistration(ring, r) ? 0 : 1]++;
            }
            after = page.get(page.size() - 1).id();
        }
        if (counts[0] + counts[1] < maxRows) {
            List<Webhooks.Route> routes = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    s -> Stores.webhooks(s).onOtherKeys(realmId, ring.primaryKeyId(), maxRows - counts[0] - counts[1]));
            for (Webhooks.Route r : routes) {
                counts[rewrapWebhookRoute(ring, r) ? 0 : 1]++;
            }
        }
        if (counts[0] + counts[1] < maxRows) {
            List<WebhookOut.Endpoint> endpoints = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    s -> Stores.webhookOut(s).onOtherKeys(realmId, ring.primaryKeyId(), maxRows - counts[0] - counts[1]));
            for (WebhookOut.Endpoint e : endpoints) {
                counts[rewrapWebhookEndpoint(ring, e) ? 0 : 1]++;
            }
        }
        if (counts[0] + counts[1] < maxRows) {
            List<Credential> creds = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    s -> Stores.credentials(s).onOtherKeys(realmId, ring.primaryKeyId(), maxRows - counts[0] - counts[1]));
            for (Credential c : creds) {
                counts[rewrapCredential(ring, c) ? 0 : 1]++;
            }
        }
        return progress(ring, realmId, counts[0], counts[1]);
    }

    /** Every secret field of a credential under the primary key, written only if the row is unchanged since read. */
    private boolean rewrapCredential(KeyRing ring, Credential c) {
        try {
            java.util.Map<String, String> secrets = new java.util.LinkedHashMap<>();
            for (var e : c.secrets().entrySet()) {
                secrets.put(e.getKey(), ring.rewrap(e.getValue(), Credential.aad(c.realmId(), c.id(), e.getKey())));
            }
            Credential next = new Credential(c.id(), c.realmId(), c.connectionId(), c.userId(), c.ownerClient(),
                    c.appClient(), c.provider(), c.type(), c.fields(), secrets, ring.primaryKeyId(), c.createdAt(),
                    c.updatedAt(), c.version());
            KeycloakModelUtils.runJobInTransaction(sessionFactory, s -> Stores.credentials(s).update(next, c.updatedAt()));
            return true;
        } catch (KeyRing.DecryptionException e) {
            LOG.warnf("key re-wrap: credential %s cannot be decrypted: %s", c.id(), e.getMessage());
            return false;
        }
    }

    private boolean rewrapWebhookRoute(KeyRing ring, Webhooks.Route r) {
        try {
            String secret = ring.rewrap(r.secret(), Webhooks.secretAad(r.realmId(), r.id()));
            KeycloakModelUtils.runJobInTransaction(sessionFactory, s -> Stores.webhooks(s).rewrap(r, ring.primaryKeyId(), secret));
            return true;
        } catch (KeyRing.DecryptionException e) {
            LOG.warnf("key re-wrap: webhook route %s cannot be decrypted: %s", r.id(), e.getMessage());
            return false;
        }
    }

    /** An endpoint's secret and its previous one (still signing after a rotation; an expired one is dropped). */
    private boolean rewrapWebhookEndpoint(KeyRing ring, WebhookOut.Endpoint e) {
        try {
            String secret = ring.rewrap(e.secret(), WebhookOut.secretAad(e.realmId(), e.id()));
            String previous = e.previousActive(System.currentTimeMillis())
                    ? ring.rewrap(e.previousSecret(), WebhookOut.previousSecretAad(e.realmId(), e.id())) : null;
            KeycloakModelUtils.runJobInTransaction(sessionFactory,
                    s -> Stores.webhookOut(s).rewrap(e, ring.primaryKeyId(), secret, previous));
            return true;
        } catch (KeyRing.DecryptionException ex) {
            LOG.warnf("key re-wrap: webhook endpoint %s cannot be decrypted: %s", e.id(), ex.getMessage());
            return false;
        }
    }

    /** @return false when a value cannot be decrypted with the configured keys (left as it is, and logged) */
    private boolean rewrapConnection(KeyRing ring, Connection c) {
        String realm = c.realmId();
        String id = c.id();
        try {
            String access = ring.rewrap(c.tokens().accessTokenCiphertext(), TokenCodec.aad(realm, id, TokenCodec.ACCESS));
            String refresh = ring.rewrap(c.tokens().refreshTokenCiphertext(), TokenCodec.aad(realm, id, TokenCodec.REFRESH));
            String raw = ring.rewrap(c.tokens().rawTokenCiphertext(), TokenCodec.aad(realm, id, TokenCodec.RAW));
            String pending = ring.rewrap(c.grant().pendingCiphertext(), TokenCodec.aad(realm, id, TokenCodec.PENDING));
            KeycloakModelUtils.runJobInTransaction(sessionFactory, s -> Stores.connections(s)
                    .rewrap(id, c.state().version(), ring.primaryKeyId(), access, refresh, raw, pending));
            return true;
        } catch (KeyRing.DecryptionException e) {
            LOG.warnf("key re-wrap: connection %s cannot be decrypted: %s", id, e.getMessage());
            return false;
        }
    }

    private boolean rewrapRegistration(KeyRing ring, ClientRegistration r) {
        try {
            String secret = ring.rewrap(r.clientSecretCiphertext(), TokenCodec.aad(r.realmId(), r.id(), ClientRegistration.SECRET));
            String token = ring.rewrap(r.registrationTokenCiphertext(),
                    TokenCodec.aad(r.realmId(), r.id(), ClientRegistration.REGISTRATION_TOKEN));
            KeycloakModelUtils.runJobInTransaction(sessionFactory, s -> Stores.registrations(s)
                    .rewrap(r, ring.primaryKeyId(), secret, token));
            return true;
        } catch (KeyRing.DecryptionException e) {
            LOG.warnf("key re-wrap: MCP registration %s cannot be decrypted: %s", r.id(), e.getMessage());
            return false;
        }
    }

    private Progress progress(KeyRing ring, String realmId, int moved, int unreadable) {
        long[] left = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory, s -> new long[]{
                Stores.connections(s).countOnOtherKeys(realmId, ring.primaryKeyId()),
                Stores.registrations(s).countOnOtherKeys(realmId, ring.primaryKeyId()),
                Stores.webhooks(s).countOnOtherKeys(realmId, ring.primaryKeyId()),
                Stores.webhookOut(s).countOnOtherKeys(realmId, ring.primaryKeyId()),
                Stores.credentials(s).countOnOtherKeys(realmId, ring.primaryKeyId())});
        return new Progress(ring.primaryKeyId(), ring.keyIds(), left[0], left[1], left[2], left[3], left[4], moved, unreadable);
    }

    private KeyRing ring() {
        try {
            return keys.ring();
        } catch (KeyRingSource.KeyUnavailableException e) {
            return null;
        }
    }
}
