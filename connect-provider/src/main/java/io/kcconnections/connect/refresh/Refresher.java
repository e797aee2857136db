package io.kcconnections.connect.refresh;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.mcp.ConnectionProviders;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.store.TokenCodec;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.metrics.ConnectMetrics;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.GrantType;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTaskWithResult;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Refreshes one connection at a time, exactly once across the cluster.
 * <ol>
 * <li>In this JVM, concurrent callers for one connection share one attempt (single flight), whether they come from
 * token reads or from the background pass.</li>
 * <li>Across nodes, a lease in the row decides: a short transaction claims it with a conditional UPDATE (or the
 * background pass's {@code SKIP LOCKED} claim) and commits.</li>
 * <li>The provider is called outside any database transaction.</li>
 * <li>The result is written back by a conditional UPDATE that only lands while the lease is still ours.</li>
 * </ol>
 * A caller that finds the lease held elsewhere polls the row until the holder finishes, then uses its result.
 */
public final class Refresher {

    private static final Logger LOG = Logger.getLogger(Refresher.class);

    private final KeycloakSessionFactory sessionFactory;
    private final ConnectSettings settings;
    private final KeyRingSource keys;
    private final HostPolicy policy;
    private final ConnectionProviders providers;
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> inflight = new ConcurrentHashMap<>();
    private final ConnectMetrics metrics = ConnectMetrics.get();

    public Refresher(KeycloakSessionFactory sessionFactory, ConnectSettings settings, KeyRingSource keys,
                     HostPolicy policy, ConnectionProviders providers) {
        this.sessionFactory = sessionFactory;
        this.settings = settings;
        this.keys = keys;
        this.policy = policy;
        this.providers = providers;
    }

    /** What became of a refresh. {@code connection} is the row as it stands afterwards (null if it was removed). */
    public sealed interface Outcome {
        Connection connection();
    }

    /** The connection holds fresh tokens (this call or a concurrent one refreshed them). */
    public record Refreshed(Connection connection, boolean byThisCall) implements Outcome {
    }

    /** The refresh failed; the row records the failure. */
    public record Failed(Connection connection, ProviderCallException error) implements Outcome {
    }

    /** Another node or request was still refreshing when the wait ran out, or the lease was lost. */
    public record Busy(Connection connection) implements Outcome {
    }

    /** Whether a token is within {@code marginMillis} of expiry and can be refreshed. */
    public static boolean due(Connection c, long now, long marginMillis) {
        return c.tokens().expiresAt() != null && c.tokens().expiresAt() - now <= marginMillis && renewable(c);
    }

    /** Whether the connection can get new tokens without a person: a refresh token, or the client-credentials grant. */
    public static boolean renewable(Connection c) {
        return c.status() != ConnectionStatus.PENDING && c.status() != ConnectionStatus.FAILED
                && c.renewsWithoutPerson();
    }

    /**
     * For a status read of a pending device authorization: polls the provider now when a poll is due and no one
     * else is polling, and answers the row as it stands afterwards.
     */
    public Connection pollIfDue(KeycloakSession session, RealmModel realm, Connection c) {
        long now = System.currentTimeMillis();
        if (c.status() != ConnectionStatus.PENDING || c.tokens().refreshAt() == null || c.tokens().refreshAt() > now || c.leasedAt(now)) {
            return c;
        }
        String owner = LeaseOwners.next();
        long leaseUntil = now + settings.refreshLeaseSeconds() * 1000L;
        if (!inTx(s -> Stores.pendingGrants(s).claimDueOne(c.id(), owner, now, leaseUntil))) {
            return read(c.id());
        }
        Connection current = read(c.id());
        if (current == null) {
            return null;
        }
        Connection after = refreshClaimed(session, realm, current, owner).connection();
        return after == null ? read(c.id()) : after;
    }

    /**
     * On-demand refresh (token reads): refreshes unless the token is fresh by the time this caller gets its turn.
     *
     * @param session a session whose context has the connection's realm (the provider call uses it: HTTP, vault)
     * @param force   refresh even when the token is fresh
     */
    public Outcome refresh(KeycloakSession session, RealmModel realm, Connection snapshot, boolean force) {
        return singleFlight(snapshot, () -> attempt(session, realm, snapshot, force), null);
    }

    /**
     * Background refresh of a connection the pass has already claimed with lease {@code owner}. Local token reads
     * of the same connection wait for this attempt instead of polling the database.
     */
    public Outcome refreshClaimed(KeycloakSession session, RealmModel realm, Connection claimed, String owner) {
        // If a local read is already refreshing it (a race on the lease itself), give our claim back and let that
        // attempt decide.
        return singleFlight(claimed, () -> refreshLeased(session, realm, claimed, owner),
                () -> release(claimed, owner, session, realm));
    }

    /**
     * Runs {@code work} unless this JVM is already refreshing the connection, in which case it waits for that
     * attempt's outcome (after {@code beforeJoining}, if any).
     */
    private Outcome singleFlight(Connection c, Supplier<Outcome> work,
                                 Runnable beforeJoining) {
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> running = inflight.putIfAbsent(c.id(), mine);
        if (running != null) {
            if (beforeJoining != null) {
                beforeJoining.run();
            }
            return await(running, c);
        }
        try {
            Outcome o = work.get();
            mine.complete(o);
            return o;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(c.id(), mine);
        }
    }

    private Outcome await(CompletableFuture<Outcome> running, Connection snapshot) {
        try {
            return running.get(settings.refreshWaitMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Busy(read(snapshot.id()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Busy(read(snapshot.id()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("refresh failed unexpectedly", e.getCause());
        }
    }

    private Outcome attempt(KeycloakSession session, RealmModel realm, Connection snapshot, boolean force) {
        long margin = marginMillis(session, realm, snapshot);
        long deadline = System.currentTimeMillis() + settings.refreshWaitMillis();
        while (true) {
            String owner = LeaseOwners.next();
            long now = System.currentTimeMillis();
            long leaseUntil = now + settings.refreshLeaseSeconds() * 1000L;
            boolean claimed = inTx(s -> Stores.leases(s).claim(snapshot.id(), owner, now, leaseUntil));
            Connection current = read(snapshot.id());
            if (current == null) {
                return removed(snapshot);
            }
            if (claimed) {
                if (!force && !due(current, System.currentTimeMillis(), margin)
                        && current.status() != ConnectionStatus.NEEDS_REAUTH) {
                    // Someone refreshed between our read and our claim.
                    release(current, owner, session, realm);
                    return new Refreshed(read(snapshot.id()), false);
                }
                return refreshLeased(session, realm, current, owner);
            }
            // Held elsewhere: wait for the holder, then use what it wrote.
            while (System.currentTimeMillis() < deadline) {
                sleep(150 + ThreadLocalRandom.current().nextInt(100));
                current = read(snapshot.id());
                if (current == null) {
                    return removed(snapshot);
                }
                if (!current.leasedAt(System.currentTimeMillis())) {
                    break;
                }
            }
            long t = System.currentTimeMillis();
            if (current.leasedAt(t)) {
                return new Busy(current);
            }
            if (!force && !due(current, t, margin) && current.status() != ConnectionStatus.NEEDS_REAUTH) {
                return new Refreshed(current, false);
            }
            if (current.status() == ConnectionStatus.NEEDS_REAUTH) {
                return new Failed(current, new ProviderCallException(ProviderCallException.Kind.PERMANENT,
                        current.state().reason() == null ? "needs_reauth" : current.state().reason(), 0, null,
                        "the connection needs a new consent"));
            }
            if (current.state().lastErrorAt() != null && current.state().lastErrorAt() >= now) {
                return new Failed(current, new ProviderCallException(ProviderCallException.Kind.TRANSIENT,
                        current.state().reason() == null ? "refresh_failed" : current.state().reason(), 0, null,
                        "the refresh attempt that just ran failed"));
            }
            if (t >= deadline) {
                return new Busy(current);
            }
            // The holder gave up or died without a result: try to claim it ourselves.
        }
    }

    /**
     * The background pass's refresh of a connection it has claimed: like {@link #refreshClaimed}, but a successful
     * provider call is handed to {@code deferTo} for a batched write ({@link WriteBack}) and null is returned; local
     * token reads of the connection wait until that write lands. Failures are written at once and returned.
     */
    Outcome prepareClaimed(KeycloakSession session, RealmModel realm, Connection claimed, String owner,
                           Consumer<WriteBack.Ready> deferTo) {
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        if (inflight.putIfAbsent(claimed.id(), mine) != null) {
            // A local read is refreshing it already: give the claim back and let that attempt decide.
            release(claimed, owner, session, realm);
            return new Busy(claimed);
        }
        boolean deferred = false;
        try {
            Outcome o = refreshLeased(session, realm, claimed, owner, r -> deferTo.accept(
                    new WriteBack.Ready(r.claimed(), r.owner(), r.columns(), r.tookNanos(), r.at(), mine)));
            deferred = o == null;
            if (!deferred) {
                mine.complete(o);
            }
            return o;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            if (!deferred) {
                inflight.remove(claimed.id(), mine);
            }
        }
    }

    /** What a write-back did ({@code after}: the row as written, null when the lease was lost): metrics and events. */
    Outcome landed(WriteBack.Ready r, Connection after, KeycloakSession session, RealmModel realm) {
        Connection c = r.claimed();
        if (after == null) {
            LOG.warnf("connection %s: lost its refresh lease before writing back; the result was discarded", c.id());
            metrics.refresh(c.provider(), "lease_lost", r.tookNanos());
            return new Busy(read(c.id()));
        }
        metrics.refresh(c.provider(), "success", r.tookNanos());
        if (c.status() != ConnectionStatus.ACTIVE) {
            LOG.infof("connection %s (%s) recovered: active again", c.id(), c.provider());
            if (session != null) {
                ConnectEvents.recovered(session, realm, c.userId(), c.provider(), c.connectionId());
            } else {
                KeycloakModelUtils.runJobInTransaction(sessionFactory, s -> {
                    RealmModel rm = s.realms().getRealm(c.realmId());
                    if (rm != null) {
                        s.getContext().setRealm(rm);
                        ConnectEvents.recovered(s, rm, c.userId(), c.provider(), c.connectionId());
                    }
                });
            }
        }
        return new Refreshed(after, true);
    }

    /** Completes a deferred refresh's single flight once its write-back has landed (or failed). */
    void settle(WriteBack.Ready r, Outcome o) {
        r.flight().complete(o);
        inflight.remove(r.claimed().id(), r.flight());
    }

    private Outcome refreshLeased(KeycloakSession session, RealmModel realm, Connection c, String owner) {
        return refreshLeased(session, realm, c, owner, null);
    }

    /**
     * Calls the provider for a connection this caller holds the lease of, and writes the result back, or hands a
     * success to {@code deferTo} (then returns null).
     */
    private Outcome refreshLeased(KeycloakSession session, RealmModel realm, Connection c, String owner,
                                  Consumer<WriteBack.Ready> deferTo) {
        ResolvedProvider provider = providers.forConnection(session, realm, c);
        if (c.status() == ConnectionStatus.PENDING) {
            return DevicePolls.poll(this, session, realm, c, owner, provider);
        }
        if (c.status() == ConnectionStatus.FAILED) {
            release(c, owner, session, realm);
            return new Failed(read(c.id()), new ProviderCallException(ProviderCallException.Kind.PERMANENT,
                    "failed", 0, null, "the connection's device authorization failed"));
        }
        if (provider == null) {
            return fail(session, realm, c, owner, new ProviderCallException(ProviderCallException.Kind.TRANSIENT,
                    "provider_not_configured", 0, null, "provider " + c.provider() + " is not configured in this realm"));
        }
        if (!provider.sameTokenOrigin(c.tokens().metadata())) {
            return fail(session, realm, c, owner, new ProviderCallException(ProviderCallException.Kind.PERMANENT,
                    "provider_endpoint_changed", 0, null, "the provider's configuration now points at another host than "
                    + "this connection was made with; its tokens are not sent there: connect again"));
        }
        KeyRing ring;
        String refreshToken;
        boolean clientCredentials = c.grant().type() == GrantType.CLIENT_CREDENTIALS;
        try {
            ring = keys.ring();
            refreshToken = clientCredentials ? null : TokenCodec.refreshToken(ring, c);
        } catch (KeyRingSource.KeyUnavailableException | KeyRing.DecryptionException e) {
            LOG.errorf("connection %s: cannot decrypt its refresh token: %s", c.id(), e.getMessage());
            return fail(session, realm, c, owner, new ProviderCallException(ProviderCallException.Kind.TRANSIENT,
                    "decryption_failed", 0, null, "stored tokens cannot be decrypted with the configured keys"));
        }
        if (refreshToken == null && !clientCredentials) {
            return fail(session, realm, c, owner, new ProviderCallException(ProviderCallException.Kind.PERMANENT,
                    "no_refresh_token", 0, null, "the provider gave no refresh token"));
        }
        TokenSet tokens;
        long started = System.nanoTime();
        try {
            OAuthClient oauth = oauth(session);
            tokens = clientCredentials ? oauth.clientCredentials(provider, realm, c.tokens().scopes())
                    : oauth.refresh(provider, realm, refreshToken, c.tokens().scopes());
        } catch (ProviderCallException e) {
            long took = System.nanoTime() - started;
            if (e.kind() == ProviderCallException.Kind.PERMANENT) {
                Connection now = read(c.id());
                if (now != null && now.tokens().refreshTokenCiphertext() != null
                        && !now.tokens().refreshTokenCiphertext().equals(c.tokens().refreshTokenCiphertext())) {
                    // The refresh token changed under us: a concurrent rotation, not a revocation.
                    LOG.infof("connection %s: %s after a concurrent rotation; keeping the newer tokens", c.id(), e.code());
                    metrics.refresh(c.provider(), "race", took);
                    return new Refreshed(now, false);
                }
            }
            metrics.refresh(c.provider(), e.kind() == ProviderCallException.Kind.PERMANENT ? "permanent_failure"
                    : "transient_failure", took);
            return fail(session, realm, c, owner, e);
        }
        long took = System.nanoTime() - started;
        long now = System.currentTimeMillis();
        boolean hasRefresh = tokens.refreshToken() != null || c.renewsWithoutPerson();
        TokenColumns cols = TokenCodec.keepingRefresh(ring, c.realmId(), c.id(), TokenCodec.encrypt(ring, c.realmId(), c.id(), tokens,
                TokenCodec.merge(c.tokens().metadata(), tokens.captured()),
                TokenCodec.refreshAt(tokens.expiresAt(), hasRefresh, settings.refreshWindowSeconds(),
                        provider.template().idleRefreshDays())), refreshToken);
        WriteBack.Ready ready = new WriteBack.Ready(c, owner, cols, took, now, null);
        if (deferTo != null) {
            deferTo.accept(ready);
            return null;
        }
        Connection after = inTx(s -> WriteBack.complete(s, providers.registry(), List.of(ready))).get(c.id());
        return landed(ready, after, session, realm);
    }

    private Outcome fail(KeycloakSession session, RealmModel realm, Connection c, String owner, ProviderCallException e) {
        return RefreshFailures.record(this, session, realm, c, owner, e);
    }

    /** The provider's refresh margin when its template sets one, else the server's. */
    public long marginMillis(KeycloakSession session, RealmModel realm, Connection c) {
        ResolvedProvider p = providers.find(session, realm, c.provider());
        Integer perProvider = p == null ? null : p.template().refreshMarginSeconds();
        return (perProvider != null ? perProvider : settings.refreshMarginSeconds()) * 1000L;
    }

    /** Gives a lease back, restoring the row's refresh time. */
    void release(Connection c, String owner, KeycloakSession session, RealmModel realm) {
        ResolvedProvider p = providers.find(session, realm, c.provider());
        Integer idle = p == null ? null : p.template().idleRefreshDays();
        Long refreshAt = c.status() == ConnectionStatus.PENDING
                ? Long.valueOf(System.currentTimeMillis() + (c.grant().pollInterval() == null ? 5 : c.grant().pollInterval()) * 1000L)
                : TokenCodec.refreshAt(c.tokens().expiresAt(), c.renewsWithoutPerson(), settings.refreshWindowSeconds(), idle);
        inTx(s -> {
            Stores.leases(s).release(c.id(), owner, refreshAt);
            return null;
        });
    }

    private Outcome removed(Connection snapshot) {
        return new Failed(null, new ProviderCallException(ProviderCallException.Kind.PERMANENT,
                "connection_removed", 0, null, "the connection was removed"));
    }

    Connection read(String id) {
        return inTx(s -> Stores.connections(s).findById(id).orElse(null));
    }

    <T> T inTx(KeycloakSessionTaskWithResult<T> task) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory, task);
    }

    ConnectionProviders providers() {
        return providers;
    }

    ConnectSettings settings() {
        return settings;
    }

    KeyRing keyRing(KeycloakSession session, RealmModel realm) throws KeyRingSource.KeyUnavailableException {
        return keys.ring();
    }

    OAuthClient oauth(KeycloakSession session) {
        return new OAuthClient(session, policy, OutboundHttp.Options.of(settings));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void close() {
        inflight.clear();
    }
}
