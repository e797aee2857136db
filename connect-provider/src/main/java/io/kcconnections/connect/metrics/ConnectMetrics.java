package io.kcconnections.connect.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters, registered in the global registry that Keycloak exposes on the management port's
 * {@code /metrics} when the server is built with {@code --metrics-enabled=true}. Without metrics the registry is
 * empty and every call is a cheap no-op.
 * <ul>
 * <li>{@code kc_connect_refresh_total{provider,outcome}}: refresh attempts by outcome ({@code success},
 * {@code transient_failure}, {@code permanent_failure}, {@code race}, {@code lease_lost})</li>
 * <li>{@code kc_connect_refresh_duration_seconds{provider}}: provider call latency of refreshes</li>
 * <li>{@code kc_connect_token_reads_total{provider,outcome}}: token endpoint answers ({@code served},
 * {@code refreshed}, {@code needs_reauth}, {@code refresh_failed}, {@code denied}, {@code not_found})</li>
 * <li>{@code kc_connect_connections{status}}: connections per status, all realms (updated by each refresh pass)</li>
 * <li>{@code kc_connect_refresh_pass_duration_seconds}: background pass duration</li>
 * </ul>
 */
public final class ConnectMetrics {

    private static final ConnectMetrics INSTANCE = new ConnectMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();

    ConnectMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String s : new String[]{"active", "degraded", "needs_reauth"}) {
            gaugeFor(s);
        }
    }

    public static ConnectMetrics get() {
        return INSTANCE;
    }

    public void refresh(String provider, String outcome, long nanos) {
        Counter.builder("kc_connect_refresh").description("Refresh attempts by outcome")
                .tag("provider", provider).tag("outcome", outcome).register(registry).increment();
        if (nanos > 0) {
            Timer.builder("kc_connect_refresh_duration").description("Provider latency of refresh calls")
                    .tag("provider", provider).publishPercentileHistogram().register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void tokenRead(String provider, String outcome) {
        Counter.builder("kc_connect_token_reads").description("Token endpoint answers by outcome")
                .tag("provider", provider == null ? "unknown" : provider).tag("outcome", outcome)
                .register(registry).increment();
    }

    /** A request refused by a rate limit ({@code kind}: token-reads, connect-starts, connection-reads). */
    public void rateLimited(String kind) {
        Counter.builder("kc_connect_rate_limited").description("Requests refused by a rate limit (429)")
                .tag("kind", kind).register(registry).increment();
    }

    public void pass(long nanos) {
        Timer.builder("kc_connect_refresh_pass_duration").description("Background refresh pass duration")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Replaces the per-status counts (statuses absent from the map become 0). */
    public void connections(Map<String, Long> counts) {
        byStatus.keySet().forEach(s -> byStatus.get(s).set(0));
        counts.forEach((s, n) -> gaugeFor(s).set(n));
    }

    private AtomicLong gaugeFor(String status) {
        return byStatus.computeIfAbsent(status, s -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("kc_connect_connections", v, AtomicLong::get).description("Connections per status")
                    .tag("status", s).register(registry);
            return v;
        });
    }
}
