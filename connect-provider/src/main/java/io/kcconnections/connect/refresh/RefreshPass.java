package io.kcconnections.connect.refresh;

import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import io.kcconnections.connect.store.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.metrics.ConnectMetrics;
import io.kcconnections.connect.store.Connection;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The background refresher: one pass per interval on every node. A pass claims due connections page by page
 * ({@code FOR UPDATE SKIP LOCKED} plus a lease, committed at once, so nodes divide the work and never refresh a
 * connection twice), refreshes each page with bounded concurrency outside any claiming transaction, and stops
 * claiming when its time box (80% of the interval) is spent. Passes run on Keycloak's executor, never on the shared
 * timer thread; a pass still running when the next tick comes makes that tick a no-op.
 * <p>
 * The pass and its provider calls run on two pools of this class's own (one thread; {@code refresh-concurrency}
 * threads). Keycloak's {@code ExecutorsProvider} pools queue without bound and so never grow past their minimum of
 * four threads, which would cap the concurrency option silently.
 */
public final class RefreshPass implements Runnable {

    private static final Logger LOG = Logger.getLogger(RefreshPass.class);

    private final KeycloakSessionFactory sessionFactory;
    private final Refresher refresher;
    private final ConnectSettings settings;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService passThread;
    private final ExecutorService workers;

    /** Counts of one pass, for logs and benchmarks. */
    public record Result(int claimed, int refreshed, int failed, int skipped, long millis) {
    }

    public RefreshPass(KeycloakSessionFactory sessionFactory, Refresher refresher, ConnectSettings settings) {
        this.sessionFactory = sessionFactory;
        this.refresher = refresher;
        this.settings = settings;
        int concurrency = settings.refreshConcurrency();
        this.passThread = Executors.newSingleThreadExecutor(daemon("kc-connect-refresh-pass"));
        this.workers = Executors.newFixedThreadPool(concurrency, daemon("kc-connect-refresh"));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the pools (server shutdown); a pass in flight is interrupted. */
    public void close() {
        passThread.shutdownNow();
        workers.shutdownNow();
    }

    /** The timer's tick: hands the pass to the executor and returns at once. */
    @Override
    public void run() {
        if (!running.compareAndSet(false, true)) {
            LOG.debug("refresh pass still running; tick skipped");
            return;
        }
        try {
            passThread.submit(() -> {
                try {
                    ConnectSettings s = settings;
                    sleep(ThreadLocalRandom.current().nextLong(Math.min(30_000L, s.refreshIntervalSeconds() * 100L) + 1));
                    runPass(s);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "refresh pass failed");
                } finally {
                    running.set(false);
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
            LOG.warnf("could not start a refresh pass: %s", e.getMessage());
        }
    }

    /** One pass over every realm, on the calling thread (which waits for it). */
    public Result runPass(ConnectSettings s) {
        return runPass(s, null);
    }

    /**
     * One pass, on the calling thread, limited to one realm when {@code realmId} is not null (the admin API's
     * "refresh what is due now").
     */
    public Result runPass(ConnectSettings s, String realmId) {
        long started = System.nanoTime();
        long deadline = System.currentTimeMillis() + Math.max(1000L, s.refreshIntervalSeconds() * 800L);
        String owner = LeaseOwners.next();
        long leaseMillis = s.refreshLeaseSeconds() * 1000L;
        int claimed = 0;
        int refreshed = 0;
        int failed = 0;
        int skipped = 0;
        ExecutorService pool = workers;
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            List<Connection> page = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    session -> Stores.leases(session).claimDue(realmId, owner, now, now + leaseMillis, s.refreshPageSize()));
            if (page.isEmpty()) {
                break;
            }
            claimed += page.size();
            long pageLeaseEnd = now + leaseMillis - 5_000;
            List<Future<Refresher.Outcome>> futures = new ArrayList<>();
            Semaphore permits = new Semaphore(s.refreshConcurrency());
            for (Connection c : page) {
                permits.acquireUninterruptibly();
                if (System.currentTimeMillis() > pageLeaseEnd) {
                    // Our lease on the rest of this page is about to end: give them back for another pass.
                    permits.release();
                    futures.add(null);
                    giveBack(c, owner);
                    continue;
                }
                futures.add(pool.submit(() -> {
                    try {
                        return refreshOne(c, owner);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<Refresher.Outcome> f : futures) {
                if (f == null) {
                    skipped++;
                    continue;
                }
                try {
                    Refresher.Outcome o = f.get();
                    if (o instanceof Refresher.Refreshed) {
                        refreshed++;
                    } else if (o instanceof Refresher.Failed) {
                        failed++;
                    } else {
                        skipped++;
                    }
                } catch (Exception e) {
                    failed++;
                    LOG.warnf("refresh of a claimed connection failed unexpectedly: %s", e.toString());
                }
            }
        }
        updateGauges();
        long nanos = System.nanoTime() - started;
        ConnectMetrics.get().pass(nanos);
        Result r = new Result(claimed, refreshed, failed, skipped, nanos / 1_000_000);
        if (claimed > 0) {
            LOG.infof("refresh pass: %d claimed, %d refreshed, %d failed, %d left for later, %d ms", claimed, refreshed,
                    failed, skipped, r.millis());
        } else {
            LOG.debugf("refresh pass: nothing due (%d ms)", r.millis());
        }
        return r;
    }

    private Refresher.Outcome refreshOne(Connection c, String owner) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory, session -> {
            RealmModel realm = session.realms().getRealm(c.realmId());
            if (realm == null) {
                return new Refresher.Busy(c);
            }
            session.getContext().setRealm(realm);
            return refresher.refreshClaimed(session, realm, c, owner);
        });
    }

    private void giveBack(Connection c, String owner) {
        KeycloakModelUtils.runJobInTransaction(sessionFactory, session -> {
            RealmModel realm = session.realms().getRealm(c.realmId());
            if (realm != null) {
                session.getContext().setRealm(realm);
                refresher.release(c, owner, session, realm);
            }
        });
    }

    public void updateGauges() {
        try {
            ConnectMetrics.get().connections(KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    session -> Stores.connections(session).countByStatus()));
        } catch (RuntimeException e) {
            LOG.debugf("connection counts unavailable: %s", e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
