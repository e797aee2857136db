package io.kcconnections.connect.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.keycloak.provider.ProviderConfigProperty;

/**
 * The options of webhooks out (signed lifecycle events to apps' endpoints), read with the other options by
 * {@link ConnectSettings} and reached through {@link ConnectSettings#webhookOut()}.
 *
 * @param intervalSeconds  how often each node looks for due deliveries (0: never; events still queue)
 * @param maxAttempts      attempts before a delivery is marked failed
 * @param backoffSeconds   the wait after the 1st, 2nd, … failed attempt; the last value repeats
 * @param leaseSeconds     how long a node holds a claimed delivery before another node may take it
 * @param deadlineSeconds  total time of one delivery request (at most half the lease)
 * @param retentionDays    days delivered and failed rows are kept (0: kept)
 * @param secretOverlapSeconds how long an endpoint's previous secret still signs after a rotation (0: not at all);
 *                         a rotation may ask for less, never more
 */
public record WebhookOutSettings(int intervalSeconds, int maxAttempts, List<Integer> backoffSeconds, int leaseSeconds,
                                 int deadlineSeconds, int retentionDays, int secretOverlapSeconds) {

    public static final ConnectSettings.Option INTERVAL_SECONDS = new ConnectSettings.Option("webhook-out-interval-seconds",
            "CONNECT_WEBHOOK_OUT_INTERVAL_SECONDS", "5", ProviderConfigProperty.INTEGER_TYPE,
            "How often each node delivers due webhook events to apps' endpoints (seconds, 1–3600; 0: no deliveries from this node).", false);
    public static final ConnectSettings.Option MAX_ATTEMPTS = new ConnectSettings.Option("webhook-out-max-attempts",
            "CONNECT_WEBHOOK_OUT_MAX_ATTEMPTS", "10", ProviderConfigProperty.INTEGER_TYPE,
            "Attempts to deliver one webhook event before it is marked failed (1–50).", false);
    public static final ConnectSettings.Option BACKOFF_SECONDS = new ConnectSettings.Option("webhook-out-backoff-seconds",
            "CONNECT_WEBHOOK_OUT_BACKOFF_SECONDS", "5,30,120,600,3600", ProviderConfigProperty.STRING_TYPE,
            "Comma-separated waits after the first, second, … failed delivery (seconds, 1–86400 each); the last repeats.", false);
    public static final ConnectSettings.Option LEASE_SECONDS = new ConnectSettings.Option("webhook-out-lease-seconds",
            "CONNECT_WEBHOOK_OUT_LEASE_SECONDS", "60", ProviderConfigProperty.INTEGER_TYPE,
            "How long a node holds a webhook delivery it claimed before another node may take it over (seconds, 10–3600).", false);
    public static final ConnectSettings.Option DEADLINE_SECONDS = new ConnectSettings.Option("webhook-out-deadline-seconds",
            "CONNECT_WEBHOOK_OUT_DEADLINE_SECONDS", "10", ProviderConfigProperty.INTEGER_TYPE,
            "Total time one webhook delivery request may take (seconds, 1–60; at most half of webhook-out-lease-seconds).", false);
    public static final ConnectSettings.Option RETENTION_DAYS = new ConnectSettings.Option("webhook-out-retention-days",
            "CONNECT_WEBHOOK_OUT_RETENTION_DAYS", "7", ProviderConfigProperty.INTEGER_TYPE,
            "Days delivered and failed webhook events are kept for the deliveries list (0–3650; 0: kept).", false);

    public static final ConnectSettings.Option SECRET_OVERLAP_SECONDS = new ConnectSettings.Option(
            "webhook-secret-overlap-seconds", "CONNECT_WEBHOOK_SECRET_OVERLAP_SECONDS", "86400",
            ProviderConfigProperty.INTEGER_TYPE, "After an endpoint's secret is rotated, how long deliveries still carry "
            + "a second signature made with the previous secret, so the receiver can switch over without downtime "
            + "(seconds, 0–2592000; 0: the previous secret is dropped at once). A rotation may ask for less, never more.", false);

    public static final List<ConnectSettings.Option> OPTIONS = List.of(INTERVAL_SECONDS, MAX_ATTEMPTS, BACKOFF_SECONDS,
            LEASE_SECONDS, DEADLINE_SECONDS, RETENTION_DAYS, SECRET_OVERLAP_SECONDS);

    static WebhookOutSettings read(Function<String, String> spi, Map<String, String> env, List<String> p) {
        List<Integer> backoff = new ArrayList<>();
        for (String s : ConnectSettings.csv(ConnectSettings.read(spi, env, BACKOFF_SECONDS))) {
            try {
                int v = Integer.parseInt(s);
                if (v < 1 || v > 86400) {
                    throw new NumberFormatException();
                }
                backoff.add(v);
            } catch (NumberFormatException e) {
                p.add(BACKOFF_SECONDS.env() + " must list seconds of 1–86400; using " + BACKOFF_SECONDS.defaultValue());
                backoff.clear();
                break;
            }
        }
        if (backoff.isEmpty()) {
            ConnectSettings.csv(BACKOFF_SECONDS.defaultValue()).forEach(s -> backoff.add(Integer.parseInt(s)));
        }
        int lease = ConnectSettings.intIn(spi, env, LEASE_SECONDS, 10, 3600, p);
        return new WebhookOutSettings(ConnectSettings.intIn(spi, env, INTERVAL_SECONDS, 0, 3600, p),
                ConnectSettings.intIn(spi, env, MAX_ATTEMPTS, 1, 50, p), List.copyOf(backoff), lease,
                Math.min(ConnectSettings.intIn(spi, env, DEADLINE_SECONDS, 1, 60, p), lease / 2),
                ConnectSettings.intIn(spi, env, RETENTION_DAYS, 0, 3650, p),
                ConnectSettings.intIn(spi, env, SECRET_OVERLAP_SECONDS, 0, 2_592_000, p));
    }

    /** The wait after the {@code attempts}-th failed attempt (1-based), in milliseconds. */
    public long backoffMillis(int attempts) {
        return backoffSeconds.get(Math.min(Math.max(attempts, 1), backoffSeconds.size()) - 1) * 1000L;
    }

    /** The largest configured wait, in milliseconds: the most a receiver's {@code Retry-After} may defer a retry. */
    public long maxBackoffMillis() {
        return backoffSeconds.stream().mapToInt(Integer::intValue).max().orElse(1) * 1000L;
    }

    Map<String, String> effective() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(INTERVAL_SECONDS.name(), String.valueOf(intervalSeconds));
        m.put(MAX_ATTEMPTS.name(), String.valueOf(maxAttempts));
        m.put(BACKOFF_SECONDS.name(), String.join(",", backoffSeconds.stream().map(String::valueOf).toList()));
        m.put(LEASE_SECONDS.name(), String.valueOf(leaseSeconds));
        m.put(DEADLINE_SECONDS.name(), String.valueOf(deadlineSeconds));
        m.put(RETENTION_DAYS.name(), String.valueOf(retentionDays));
        m.put(SECRET_OVERLAP_SECONDS.name(), String.valueOf(secretOverlapSeconds));
        return m;
    }
}
