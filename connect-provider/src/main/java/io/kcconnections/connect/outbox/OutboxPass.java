package io.kcconnections.connect.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.kcconnections.connect.background.TimerWorker;
import io.kcconnections.connect.config.WebhookOutSettings;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.WebhookPost;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.WebhookOut;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Delivers the webhook outbox: on every node, once per interval, claims due rows a page at a time
 * ({@code FOR UPDATE SKIP LOCKED} plus a lease, committed at once, so exactly one node holds each; a page no larger
 * than its senders finish within half the lease, see {@link #pageSize}), posts each signed
 * (Standard Webhooks: the row id as {@code webhook-id}, a fresh timestamp and signature per attempt; a second
 * signature with the endpoint's previous secret while it still signs after a rotation) outside any
 * transaction, and records the outcome while its lease holds: 2xx delivered; anything else (3xx included: redirects
 * are not followed) retried after the configured backoff, and marked failed after the last attempt; a 429 or 503
 * with {@code Retry-After} is retried no earlier than it asks, up to the largest configured wait. A 410 Gone
 * marks the row failed at once and disables its endpoint (Standard Webhooks: the receiver asks for no more
 * deliveries), logged without its secret; a row whose endpoint was removed or disabled is marked failed when claimed.
 * Runs on a thread of its own; a tick while a pass runs is a no-op.
 */
public final class OutboxPass implements Runnable {

    private static final Logger LOG = Logger.getLogger(OutboxPass.class);
    private static final int PAGE = 32;
    private static final int CONCURRENCY = 4;
    /** The answer that asks for no more deliveries, and what its row and endpoint record. */
    static final int GONE = 410;
    static final String GONE_REASON = "endpoint gone (410)";

    private final KeycloakSessionFactory sessionFactory;
    private final WebhookOutSettings settings;
    private final KeyRingSource keys;
    private final HostPolicy policy;
    private final Supplier<String> owners;
    private volatile boolean closed;
    private final TimerWorker worker = new TimerWorker("kc-connect-webhook-pass");
    private final ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY, daemon("kc-connect-webhook"));

    /**
     * A claimed row with its endpoint's URL and secret (null when the endpoint is gone or its secret unusable), and
     * the previous secret while it still signs after a rotation (null when none is kept or it cannot be decrypted).
     */
    private record Claimed(WebhookOut.Message message, String url, String secret, String previous,
                           Long previousExpiresAt, String problem) {
        Claimed(WebhookOut.Message message, String url, String problem) {
            this(message, url, null, null, null, problem);
        }
    }

    /** @param owners new lease owner ids (this node's id first) */
    public OutboxPass(KeycloakSessionFactory sessionFactory, WebhookOutSettings settings, KeyRingSource keys,
                      HostPolicy policy, Supplier<String> owners) {
        this.sessionFactory = sessionFactory;
        this.settings = settings;
        this.keys = keys;
        this.policy = policy;
        this.owners = owners;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The timer's tick: hands a pass to this class's thread and returns at once. */
    @Override
    public void run() {
        if (!closed) {
            worker.tick(this::runPass);
        }
    }

    /** One pass on the calling thread: pages of due rows until none is left or the time box is spent; how many were sent. */
    public int runPass() {
        long deadline = System.currentTimeMillis() + Math.max(1000L, settings.intervalSeconds() * 800L);
        String owner = owners.get();
        long leaseMillis = settings.leaseSeconds() * 1000L;
        int sent = 0;
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            List<Claimed> page = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory,
                    s -> claim(Stores.webhookOut(s), owner, now, now + leaseMillis));
            if (page.isEmpty()) {
                break;
            }
            List<Future<WebhookOut.Attempt>> results = new ArrayList<>();
            for (Claimed c : page) {
                Callable<WebhookOut.Attempt> task = () -> attempt(c, owner);
                results.add(workers.submit(task));
            }
            List<WebhookOut.Attempt> attempts = new ArrayList<>();
            for (Future<WebhookOut.Attempt> f : results) {
                try {
                    attempts.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return sent;
                } catch (ExecutionException e) {
                    LOG.warnf("webhook delivery failed unexpectedly: %s", e.getCause().toString());
                }
            }
            Map<String, WebhookOut.Message> claimed = new LinkedHashMap<>();
            page.forEach(c -> claimed.put(c.message().id(), c.message()));
            KeycloakModelUtils.runJobInTransaction(sessionFactory,
                    s -> attempts.forEach(a -> record(Stores.webhookOut(s), a, claimed.get(a.id()))));
            sent += page.size();
        }
        return sent;
    }

    /** Writes one attempt's outcome while the lease holds; a 410 Gone disables the endpoint. */
    private static void record(WebhookOut store, WebhookOut.Attempt a, WebhookOut.Message m) {
        if (!store.complete(a)) {
            LOG.infof("webhook event %s: lost its lease before its outcome was written", a.id());
            return;
        }
        if (a.httpStatus() != null && a.httpStatus() == GONE && store.disable(m.realmId(), m.endpointId(), a.at(),
                GONE_REASON)) {
            LOG.warnf("webhook endpoint %s (realm %s) answered 410 Gone: disabled, no more events go to it until an "
                    + "admin enables it again", m.endpointId(), m.realmId());
        }
    }

    private List<Claimed> claim(WebhookOut store, String owner, long now, long leaseUntil) {
        List<Claimed> out = new ArrayList<>();
        KeyRing ring = null;
        String keyProblem = null;
        try {
            ring = keys.ring();
        } catch (KeyRingSource.KeyUnavailableException e) {
            keyProblem = "signing key unavailable";
        }
        for (WebhookOut.Message m : store.claimDue(owner, now, leaseUntil, pageSize(settings))) {
            WebhookOut.Endpoint e = store.endpoint(m.realmId(), m.endpointId()).orElse(null);
            if (e == null) {
                out.add(new Claimed(m, null, "endpoint removed"));
            } else if (!e.enabled()) {
                out.add(new Claimed(m, null, "endpoint disabled: " + e.disabledReason()));
            } else if (ring == null) {
                out.add(new Claimed(m, e.url(), keyProblem));
            } else {
                try {
                    String secret = ring.decrypt(e.secret(), WebhookOut.secretAad(e.realmId(), e.id()));
                    String previous = previous(ring, e, now);
                    out.add(new Claimed(m, e.url(), secret, previous, previous == null ? null : e.previousExpiresAt(), null));
                } catch (KeyRing.DecryptionException ex) {
                    LOG.warnf("webhook endpoint %s: its secret cannot be decrypted with the configured keys", e.id());
                    out.add(new Claimed(m, e.url(), "signing secret unavailable"));
                }
            }
        }
        return out;
    }

    /** The endpoint's previous secret while it still signs; null when none is (or it cannot be decrypted: logged). */
    private static String previous(KeyRing ring, WebhookOut.Endpoint e, long now) {
        if (!e.previousActive(now)) {
            return null;
        }
        try {
            return ring.decrypt(e.previousSecret(), WebhookOut.previousSecretAad(e.realmId(), e.id()));
        } catch (KeyRing.DecryptionException ex) {
            LOG.warnf("webhook endpoint %s: its previous secret cannot be decrypted with the configured keys; "
                    + "deliveries carry the current secret's signature only", e.id());
            return null;
        }
    }

    /**
     * How many rows a pass claims at once: no more than its {@link #CONCURRENCY} senders finish within half the lease
     * when every delivery takes its whole deadline, at most {@link #PAGE}. A page's outcomes are written when its last
     * delivery ends; were the page larger, a slow receiver could keep rows past their lease, another node would claim
     * them and send them again, and the first node's outcomes would be lost (with a 10 s lease, 32 rows and a receiver
     * answering in 3 s: each event sent over and over, never recorded delivered).
     */
    static int pageSize(WebhookOutSettings settings) {
        int rounds = Math.max(1, settings.leaseSeconds() / 2 / Math.max(1, settings.deadlineSeconds()));
        return Math.min(PAGE, CONCURRENCY * rounds);
    }

    /** One attempt of one row; its outcome as the row should record it. */
    WebhookOut.Attempt attempt(Claimed c, String owner) {
        WebhookOut.Message m = c.message();
        long now = System.currentTimeMillis();
        int attempts = m.attempts() + 1;
        if (c.url() == null) {
            return new WebhookOut.Attempt(m.id(), owner, WebhookOut.FAILED, null, now, null, c.problem());
        }
        WebhookPost.Result r;
        if (c.secret() == null) {
            r = new WebhookPost.Result(0, c.problem());
        } else {
            long ts = now / 1000;
            String id = webhookId(m.id());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", id);
            headers.put("webhook-timestamp", String.valueOf(ts));
            headers.put("webhook-signature", WebhookSignature.header(c.secret(), c.previous(), c.previousExpiresAt(), now,
                    id, ts, m.payload()));
            r = new WebhookPost(policy, settings.deadlineSeconds() * 1000L).post(c.url(), m.payload(), headers);
        }
        long done = System.currentTimeMillis();
        Integer http = r.status() == 0 ? null : r.status();
        if (r.delivered()) {
            return new WebhookOut.Attempt(m.id(), owner, WebhookOut.DELIVERED, null, done, http, null);
        }
        if (r.status() == GONE) {
            LOG.infof("webhook event %s (%s): %s, not retried", m.id(), m.eventType(), GONE_REASON);
            return new WebhookOut.Attempt(m.id(), owner, WebhookOut.FAILED, null, done, http, GONE_REASON);
        }
        String error = r.error() != null ? r.error() : "HTTP " + r.status();
        if (attempts >= settings.maxAttempts()) {
            LOG.infof("webhook event %s (%s): failed after %d attempts (%s)", m.id(), m.eventType(), attempts, error);
            return new WebhookOut.Attempt(m.id(), owner, WebhookOut.FAILED, null, done, http, error);
        }
        return new WebhookOut.Attempt(m.id(), owner, WebhookOut.PENDING, done + retryDelayMillis(settings, attempts, r),
                done, http, error);
    }

    /**
     * The wait before the next attempt after the {@code attempts}-th failed one: the configured backoff, or longer when
     * a 429 or 503 asks for it with {@code Retry-After}, but never longer than the largest configured wait (so a
     * receiver cannot park its deliveries for ever).
     */
    static long retryDelayMillis(WebhookOutSettings settings, int attempts, WebhookPost.Result r) {
        long backoff = settings.backoffMillis(attempts);
        if ((r.status() == 429 || r.status() == 503) && r.retryAfterMillis() != null) {
            return Math.max(backoff, Math.min(r.retryAfterMillis(), settings.maxBackoffMillis()));
        }
        return backoff;
    }

    /** The {@code webhook-id} of a row: stable across its retries, so receivers de-duplicate. */
    public static String webhookId(String rowId) {
        return "msg_" + rowId.replace("-", "");
    }

    /** Stops the pools (server shutdown). */
    public void close() {
        closed = true;
        worker.close();
        workers.shutdownNow();
    }
}
