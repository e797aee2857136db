package io.kcconnections.connect.refresh;

import java.util.Map;

import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.store.TokenCodec;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * One poll of a pending device authorization (RFC 8628 §3.4-3.5) whose row the caller holds the lease of:
 * {@code authorization_pending} waits another interval, {@code slow_down} adds five seconds to the interval for this
 * and every later poll, {@code access_denied} and {@code expired_token} (or the device code's own expiry) end it as
 * failed, and tokens make it an active connection. Network trouble and 5xx wait longer and try again until expiry.
 */
final class DevicePolls {

    private static final Logger LOG = Logger.getLogger(DevicePolls.class);

    private DevicePolls() {
    }

    static Refresher.Outcome poll(Refresher refresher, KeycloakSession session, RealmModel realm, Connection c,
                                  String owner, ResolvedProvider provider) {
        long now = System.currentTimeMillis();
        if (c.tokens().expiresAt() != null && now >= c.tokens().expiresAt()) {
            return failed(refresher, session, realm, c, owner, "expired_token", "the device code expired before the person approved it");
        }
        if (provider == null) {
            return failed(refresher, session, realm, c, owner, "provider_not_configured", "the provider is not configured any more");
        }
        KeyRing ring;
        TokenCodec.PendingGrant grant;
        try {
            ring = refresher.keyRing(session, realm);
            grant = TokenCodec.pending(ring, c);
        } catch (KeyRingSource.KeyUnavailableException | KeyRing.DecryptionException e) {
            LOG.errorf("connection %s: cannot decrypt its device code: %s", c.id(), e.getMessage());
            return failed(refresher, session, realm, c, owner, "decryption_failed", "the device code cannot be decrypted");
        }
        int interval = c.grant().pollInterval() == null ? 5 : c.grant().pollInterval();
        OAuthClient oauth = refresher.oauth(session);
        TokenSet tokens;
        try {
            tokens = oauth.pollDevice(provider, realm, grant.deviceCode(), grant.verifier(), c.tokens().scopes());
        } catch (ProviderCallException e) {
            switch (e.code()) {
                case "authorization_pending" -> {
                    return waitMore(refresher, c, owner, interval, interval);
                }
                case "slow_down" -> {
                    int slower = Math.min(interval + 5, 300);
                    LOG.debugf("connection %s: the provider asked to slow down; polling every %d s", c.id(), slower);
                    return waitMore(refresher, c, owner, slower, slower);
                }
                case "access_denied", "expired_token", "invalid_grant", "unauthorized_client", "invalid_client" -> {
                    return failed(refresher, session, realm, c, owner, e.code(), e.getMessage());
                }
                default -> {
                    // A provider hiccup (5xx, timeout, 429): keep the interval, wait longer this once.
                    long wait = Math.max(interval, e.retryAfterSeconds() == null ? interval * 2L : e.retryAfterSeconds());
                    LOG.infof("connection %s: device poll failed (%s); next poll in %d s", c.id(), e.getMessage(), wait);
                    return waitMore(refresher, c, owner, interval, wait);
                }
            }
        }
        OAuthClient.Account account = oauth.account(provider, realm, tokens);
        long done = System.currentTimeMillis();
        TokenColumns cols = TokenCodec.encrypt(ring, c.realmId(), c.id(), tokens, TokenCodec.merge(c.tokens().metadata(), tokens.captured()),
                TokenCodec.refreshAt(tokens.expiresAt(), tokens.refreshToken() != null, refresher.settings().refreshWindowSeconds(),
                        provider.template().idleRefreshDays()));
        long pendingExpiresAt = c.tokens().expiresAt() == null ? -1 : c.tokens().expiresAt();
        boolean written = refresher.inTx(s -> {
            boolean ok = Stores.pendingGrants(s).complete(c.id(), pendingExpiresAt, cols, done);
            if (ok && account != null) {
                Stores.connections(s).setAccount(c.id(), account.id(), account.name() != null ? account.name() : account.email());
            }
            if (ok) { // the device grant's connection is made now: announced with its tokens' write
                Stores.connections(s).findById(c.id()).ifPresent(made -> Outbox.record(s,
                        refresher.providers().registry(), made, Outbox.CREATED, Map.of("grant_type", "device_code")));
            }
            return ok;
        });
        if (!written) {
            LOG.warnf("connection %s: no longer waits for this device authorization (restarted, removed or ended); its tokens were discarded", c.id());
            return new Refresher.Busy(refresher.read(c.id()));
        }
        LOG.infof("connection %s (%s): the device authorization was approved; tokens stored", c.id(), c.provider());
        ConnectEvents.deviceFinished(session, realm, c.userId(), c.provider(), c.connectionId(), null);
        return new Refresher.Refreshed(refresher.read(c.id()), true);
    }

    private static Refresher.Outcome waitMore(Refresher refresher, Connection c, String owner, int interval, long waitSeconds) {
        long now = System.currentTimeMillis();
        refresher.inTx(s -> Stores.pendingGrants(s).stillPending(c.id(), owner, interval, now + waitSeconds * 1000L, now));
        return new Refresher.Busy(refresher.read(c.id()));
    }

    private static Refresher.Outcome failed(Refresher refresher, KeycloakSession session, RealmModel realm, Connection c,
                                            String owner, String code, String message) {
        long now = System.currentTimeMillis();
        boolean written = refresher.inTx(s -> Stores.pendingGrants(s).failed(c.id(), owner, code, now));
        if (written) {
            LOG.infof("connection %s (%s): device authorization ended without tokens: %s", c.id(), c.provider(), code);
            ConnectEvents.deviceFinished(session, realm, c.userId(), c.provider(), c.connectionId(), code);
        }
        return new Refresher.Failed(refresher.read(c.id()), new ProviderCallException(ProviderCallException.Kind.PERMANENT,
                code, 0, null, message));
    }
}
