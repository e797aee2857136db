package io.kcconnections.connect.refresh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.metrics.ConnectMetrics;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
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
    /** Write-backs per transaction, and the longest a finished refresh waits for its batch. */
    private static final int WRITE_BATCH = 64;
    private static final long WRITE_DELAY_NANOS = 50_000_000L;

    private final KeycloakSessionFactory sessionFactory;
    private final Refresher refresher;
    private final ConnectSettings settings;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService passThread;
    private final ExecutorService workers;
    private final WriteBack writeBack;

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
        this.writeBack = new WriteBack(sessionFactory, refresher);
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
     * <p>
     * A pipeline: the next page is claimed while the workers still have a queue of the last one (so they never wait
     * for a page's slowest call), workers call providers, and this thread writes their results back in batches.
     */
    public Result runPass(ConnectSettings s, String realmId) {
        long started = System.nanoTime();
        long deadline = System.currentTimeMillis() + Math.max(1000L, s.refreshIntervalSeconds() * 800L);
        String owner = LeaseOwners.next();
        long leaseMillis = s.refreshLeaseSeconds() * 1000L;
        int[] n = new int[4]; // claimed, refreshed, failed, skipped
        CompletionService<Refresher.Outcome> done = new ExecutorCompletionService<>(workers);
        ConcurrentLinkedQueue<WriteBack.Ready> ready = new ConcurrentLinkedQueue<>();
        List<WriteBack.Ready> batch = new ArrayList<>();
        long batchSince = 0;
        int inFlight = 0;
        boolean drained = false;
        while (true) {
            boolean claiming = !drained && System.currentTimeMillis() < deadline;
            if (claiming && inFlight < 2 * s.refreshConcurrency()) {
                long now = System.currentTimeMillis();
                List<Connection> page = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                        session -> Stores.leases(session).claimDue(realmId, owner, now, now + leaseMillis, s.refreshPageSize()));
                drained = page.isEmpty();
                long leaseEnd = now + leaseMillis - 5_000;
                for (Connection c : page) {
                    done.submit(() -> refreshOne(c, owner, leaseEnd, ready::add));
                }
                n[0] += page.size();
                inFlight += page.size();
                continue;
            }
            if (inFlight == 0 && ready.isEmpty() && batch.isEmpty()) {
                break;
            }
            inFlight -= collect(done, inFlight, claiming, n);
            for (WriteBack.Ready r; (r = ready.poll()) != null; ) {
                if (batch.isEmpty()) {
                    batchSince = System.nanoTime();
                }
                batch.add(r);
            }
            if (batch.size() >= WRITE_BATCH || !batch.isEmpty()
                    && (inFlight == 0 || System.nanoTime() - batchSince > WRITE_DELAY_NANOS)) {
                int landed = writeBack.write(batch);
                n[1] += landed;
                n[3] += batch.size() - landed;
                batch.clear();
            }
        }
        updateGauges();
        long nanos = System.nanoTime() - started;
        ConnectMetrics.get().pass(nanos);
        Result r = new Result(n[0], n[1], n[2], n[3], nanos / 1_000_000);
        if (n[0] > 0) {
            LOG.infof("refresh pass: %d claimed, %d refreshed, %d failed, %d left for later, %d ms", n[0], n[1], n[2],
                    n[3], r.millis());
        } else {
            LOG.debugf("refresh pass: nothing due (%d ms)", r.millis());
        }
        return r;
    }

    /** Takes the finished refreshes (waiting a moment for one) and counts them; returns how many finished. */
    private static int collect(CompletionService<Refresher.Outcome> done, int inFlight, boolean claiming, int[] n) {
        int finished = 0;
        try {
            Future<Refresher.Outcome> f = inFlight == 0 ? null : done.poll(claiming ? 5 : 20, TimeUnit.MILLISECONDS);
            while (f != null) {
                finished++;
                count(f, n);
                f = done.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("refresh pass interrupted", e);
        }
        return finished;
    }

    private static void count(Future<Refresher.Outcome> f, int[] n) {
        try {
            Refresher.Outcome o = f.get();
            if (o == null) {
                return; // handed to the write-back, counted when written
            }
            if (o instanceof Refresher.Refreshed) {
                n[1]++;
            } else if (o instanceof Refresher.Failed) {
                n[2]++;
            } else {
                n[3]++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("refresh pass interrupted", e);
        } catch (ExecutionException e) {
            n[2]++;
            LOG.warnf("refresh of a claimed connection failed unexpectedly: %s", String.valueOf(e.getCause()));
        }
    }

    private Refresher.Outcome refreshOne(Connection c, String owner, long leaseEnd, Consumer<WriteBack.Ready> deferTo) {
        if (System.currentTimeMillis() > leaseEnd) {
            // Our lease on it is about to end: give it back for another pass.
            giveBack(c, owner);
            return new Refresher.Busy(c);
        }
        return KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory, session -> {
            RealmModel realm = session.realms().getRealm(c.realmId());
            if (realm == null) {
                return new Refresher.Busy(c);
            }
            session.getContext().setRealm(realm);
            return refresher.prepareClaimed(session, realm, c, owner, deferTo);
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
