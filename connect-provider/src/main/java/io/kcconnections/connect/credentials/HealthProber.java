package io.kcconnections.connect.credentials;

import java.util.List;

import io.kcconnections.connect.background.TimerWorker;
import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.refresh.LeaseOwners;
import io.kcconnections.connect.store.Health;
import io.kcconnections.connect.store.Stores;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The background prober: every {@code health-interval-seconds} it gives active connections a health row, claims the
 * rows that are due ({@code SKIP LOCKED}, moving their next check one interval on, so no other node takes them) and
 * checks each: the row read and its secrets decrypted in one transaction, the check outside any, the outcome written
 * in a third only while this claim still holds the row. Smoothing: {@code health-unhealthy-after} failures in a row
 * make a row unhealthy, one success healthy; each change of status is a Keycloak event.
 */
public final class HealthProber implements Runnable {

    private static final Logger LOG = Logger.getLogger(HealthProber.class);
    private static final int PAGE = 32;
    private static final int MAX_PAGES = 100;

    private final KeycloakSessionFactory factory;
    private final ConnectSettings settings;
    private final HealthChecks checks;
    private final TimerWorker worker = new TimerWorker("kc-connect-health");

    public HealthProber(KeycloakSessionFactory factory, ConnectSettings settings, HealthChecks checks) {
        this.factory = factory;
        this.settings = settings;
        this.checks = checks;
    }

    public HealthChecks checks() {
        return checks;
    }

    /** The timer's tick: hands the pass to the prober's thread and returns at once. */
    @Override
    public void run() {
        worker.tick(this::probeDue);
    }

    /** One pass over what is due, on the calling thread; answers how many rows it checked. */
    public int probeDue() {
        seed(System.currentTimeMillis());
        String owner = LeaseOwners.next();
        int checked = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            long next = System.currentTimeMillis() + intervalMillis();
            List<Health.State> claimed = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                    s -> Stores.health(s).claimDue(owner, System.currentTimeMillis(), next, PAGE));
            claimed.forEach(h -> probe(owner, h));
            checked += claimed.size();
            if (claimed.size() < PAGE) {
                break;
            }
        }
        return checked;
    }

    /** Gives active connections that have none a health row, due at {@code now}. */
    private void seed(long now) {
        try {
            int seeded = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> Stores.health(s).seedConnections(now));
            LOG.debugf("health: %d connections got a health row", seeded);
        } catch (RuntimeException e) {
            // Two nodes seeding at once: one of them wins; the rows exist either way.
            LOG.debugf("health: seeding skipped: %s", e.getClass().getSimpleName());
        }
    }

    /** Checks every connection and credential of a realm now (an admin asked); answers how many. */
    public int probeRealm(String realmId) {
        String owner = LeaseOwners.next();
        long now = System.currentTimeMillis();
        seed(now);
        List<Health.State> claimed = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                s -> Stores.health(s).claimRealm(realmId, owner, now + intervalMillis(), 10_000));
        claimed.forEach(h -> probe(owner, h));
        return claimed.size();
    }

    /** Checks one connection or credential now (its row id); answers its health after, or null when it has none. */
    public Health.State checkNow(String rowId) {
        String owner = LeaseOwners.next();
        Health.State h = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                s -> Stores.health(s).claim(rowId, owner, System.currentTimeMillis() + intervalMillis()));
        if (h == null) {
            return null;
        }
        probe(owner, h);
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> Stores.health(s).byIds(List.of(rowId)).get(rowId));
    }

    private void probe(String owner, Health.State h) {
        HealthChecks.Prepared p;
        try {
            p = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                try {
                    HealthChecks.Prepared prepared = checks.prepare(s, h);
                    if (prepared == null) {
                        Stores.health(s).forget(h.id());
                    }
                    return prepared;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getClass().getSimpleName());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("health: %s %s cannot be checked: %s", h.kind(), h.id(), e.getMessage());
            complete(owner, h, null, CheckResult.fail("unreadable", "its secrets cannot be decrypted"));
            return;
        }
        if (p == null) {
            return;
        }
        CheckResult r;
        try (KeycloakSession s = factory.create()) {
            r = p.check().apply(s);
        } catch (RuntimeException e) {
            r = CheckResult.fail("check_failed", e.getClass().getSimpleName());
        }
        complete(owner, h, p, r);
    }

    private void complete(String owner, Health.State h, HealthChecks.Prepared p, CheckResult r) {
        int failures = r.ok() ? 0 : h.failures() + 1;
        String status = r.ok() ? "healthy" : failures >= settings.healthUnhealthyAfter() ? "unhealthy" : h.status();
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            Health.State before = Stores.health(s).complete(h.id(), owner, status, failures, r.summary(),
                    System.currentTimeMillis());
            if (before == null || before.status().equals(status) || p == null) {
                return;
            }
            RealmModel realm = s.realms().getRealm(p.realmId());
            if (realm != null) {
                ConnectEvents.healthChanged(s, realm, p.userId(), p.provider(), p.connectionId(), h.kind(), status, r.error());
            }
        });
        LOG.debugf("health: %s %s %s (%s)", h.kind(), h.id(), status, r.error());
    }

    private long intervalMillis() {
        int seconds = settings.healthIntervalSeconds();
        return (seconds > 0 ? seconds : 300) * 1000L;
    }

    public void close() {
        worker.close();
    }
}
