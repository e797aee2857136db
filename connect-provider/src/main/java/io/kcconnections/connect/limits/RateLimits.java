package io.kcconnections.connect.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per key (a kind and who it counts: a user, a client, a connection, a webhook route), held by
 * this node. A bucket holds up to a minute's allowance and refills continuously at {@code perMinute / 60} a second, so
 * a quiet caller may spend a minute's worth at once and then its steady rate. The state is per node: behind a load
 * balancer over N nodes a caller gets up to N times the allowance (documented; {@code RateLimitIT} shows it on two
 * nodes). Keys are the ids of authenticated callers, of their connections and of configured webhook routes, so they
 * grow with real use only; idle buckets (refilled to
 * full) are dropped, at most once a second, while the map holds more than {@code maxBuckets}.
 */
public final class RateLimits {

    /** What is counted; its id names the option and the realm attribute. */
    public enum Kind {
        TOKEN_READS("token-reads"), CONNECT_STARTS("connect-starts"), CONNECTION_READS("connection-reads"),
        /** Verified deliveries to one webhook route; the allowance is the route's own ({@code rateLimitPerMinute}). */
        WEBHOOK_DELIVERIES("webhook-deliveries");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** A webhook route's allowance a minute when its configuration names none. */
    public static final int DEFAULT_WEBHOOK_DELIVERIES_PER_MINUTE = 100;

    private static final class Bucket {
        double tokens;
        long at;
        int perMinute;
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int maxBuckets;
    private final LongSupplier clock;
    private volatile long lastSweep;

    public RateLimits(int maxBuckets, LongSupplier clock) {
        this.maxBuckets = maxBuckets;
        this.clock = clock;
    }

    /**
     * Takes one from the key's bucket: 0 when allowed, else the milliseconds until one is there (nothing taken).
     * {@code perMinute <= 0} means no limit.
     */
    public long take(Kind kind, String key, int perMinute) {
        if (perMinute <= 0) {
            return 0;
        }
        long now = clock.getAsLong();
        Bucket b = buckets.computeIfAbsent(kind.id() + '\u0000' + key, k -> {
            Bucket n = new Bucket();
            n.tokens = perMinute;
            n.at = now;
            n.perMinute = perMinute;
            return n;
        });
        long wait;
        synchronized (b) {
            double rate = perMinute / 60_000.0;
            b.tokens = Math.min(perMinute, b.tokens + Math.max(0, now - b.at) * rate);
            b.at = now;
            b.perMinute = perMinute;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                wait = 0;
            } else {
                wait = (long) Math.ceil((1 - b.tokens) / rate);
            }
        }
        if (buckets.size() > maxBuckets && now - lastSweep >= 1000) {
            lastSweep = now;
            sweep(now);
        }
        return wait;
    }

    /** Drops the buckets that have refilled to full: forgetting them changes nothing. */
    private void sweep(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                return b.tokens + Math.max(0, now - b.at) * (b.perMinute / 60_000.0) >= b.perMinute;
            }
        });
    }

    int size() {
        return buckets.size();
    }
}
