package io.kcconnections.connect.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.config.VaultReference;
import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.Inputs;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.limits.RateLimits;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.Webhooks;
import org.jboss.logging.Logger;
import org.keycloak.vault.VaultStringSecret;

/**
 * A realm's webhook routes, configured by admins ({@code PUT /admin/realms/{realm}/connect/webhooks/{provider}/{route}}):
 * the scheme and the signing secret, stored encrypted with the server's token key ring (AAD: realm, row, column), or a
 * {@code ${vault.name}} reference resolved through Keycloak's vault on every delivery. Secrets are never answered or
 * logged.
 */
public final class WebhookRoutes {

    public static final int DEFAULT_TOLERANCE_SECONDS = 300;
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
    public static final int LARGEST_MAX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_RATE_LIMIT = RateLimits.DEFAULT_WEBHOOK_DELIVERIES_PER_MINUTE;
    public static final int LARGEST_RATE_LIMIT = 1_000_000;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,128}");
    private static final Logger LOG = Logger.getLogger(WebhookRoutes.class);

    private final ConnectService connect;

    public WebhookRoutes(ConnectService connect) {
        this.connect = connect;
    }

    /**
     * What an admin sends; null numbers take the defaults.
     *
     * @param rateLimitPerMinute verified deliveries a minute on each node, 0 none; null: {@link #DEFAULT_RATE_LIMIT}
     * @param accountIdPointer   a JSON pointer (RFC 6901) to the provider's account id in a delivery's payload, which
     *                           routes it to that account's connections ({@link AccountRouting}); null: no routing
     */
    public record Input(String scheme, String secret, String header, String encoding, String prefix,
                        String deliveryIdHeader, Integer toleranceSeconds, Integer maxBytes, Integer rateLimitPerMinute,
                        String accountIdPointer) {

        /** The JSON body of the admin's PUT. */
        public static Input parse(String json) throws ConnectError {
            JsonNode n = Inputs.jsonObject(json);
            return new Input(text(n, "scheme"), text(n, "secret"), text(n, "header"), text(n, "encoding"),
                    text(n, "prefix"), text(n, "deliveryIdHeader"), number(n, "toleranceSeconds"), number(n, "maxBytes"),
                    number(n, "rateLimitPerMinute"), text(n, "accountIdPointer"));
        }

        private static String text(JsonNode n, String f) {
            return n.hasNonNull(f) && n.get(f).isTextual() ? n.get(f).asText() : null;
        }

        private static Integer number(JsonNode n, String f) {
            return n.hasNonNull(f) && n.get(f).canConvertToInt() ? n.get(f).asInt() : null;
        }
    }

    static boolean validName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /** The route's allowance of verified deliveries a minute on each node (0: none). */
    static int rateLimit(Webhooks.Route r) {
        return r.rateLimitPerMinute() == null ? DEFAULT_RATE_LIMIT : r.rateLimitPerMinute();
    }

    static Signatures.Spec spec(Webhooks.Route r) {
        return new Signatures.Spec(r.scheme(), r.header(), r.encoding(), r.prefix(), r.deliveryIdHeader(),
                r.toleranceSeconds());
    }

    /** The route's signing secret: decrypted, and resolved through the vault when it is a reference; 503 when unusable. */
    static byte[] secret(ConnectService connect, Webhooks.Route r) throws ConnectError {
        String plain;
        try {
            plain = connect.keyRing().decrypt(r.secret(), Webhooks.secretAad(r.realmId(), r.id()));
        } catch (KeyRing.DecryptionException e) {
            LOG.warnf("webhook route %s/%s: its secret cannot be decrypted with the configured keys (%s)", r.provider(),
                    r.route(), e.getMessage());
            throw new ConnectError(503, "webhook_secret_unavailable", "the route's signing secret is unavailable");
        }
        if (VaultReference.is(plain)) {
            try (VaultStringSecret v = connect.session().vault().getStringSecret(plain)) {
                plain = v.get().orElse(null);
            }
            if (plain == null) {
                LOG.warnf("webhook route %s/%s: its vault reference resolves to nothing", r.provider(), r.route());
                throw new ConnectError(503, "webhook_secret_unavailable", "the route's signing secret is unavailable");
            }
        }
        return plain.getBytes(StandardCharsets.UTF_8);
    }

    /** Creates or replaces a route; whether it is new. */
    public boolean put(String provider, String route, Input in) throws ConnectError {
        requireNames(provider, route);
        if (in == null || in.scheme() == null || !Signatures.SCHEMES.contains(in.scheme())) {
            throw ConnectError.badRequest("invalid_request", "scheme must be one of " + String.join(", ", Signatures.SCHEMES));
        }
        if (in.secret() == null || in.secret().isBlank() || in.secret().length() > 4096) {
            throw ConnectError.badRequest("invalid_request", "secret is required (at most 4096 characters)");
        }
        boolean generic = in.scheme().equals("hmac-sha256");
        if (generic && (in.header() == null || !HEADER.matcher(in.header()).matches())) {
            throw ConnectError.badRequest("invalid_request", "hmac-sha256 needs header, the signature's header name");
        }
        if (generic && in.deliveryIdHeader() != null && !HEADER.matcher(in.deliveryIdHeader()).matches()) {
            throw ConnectError.badRequest("invalid_request", "deliveryIdHeader must be a header name");
        }
        String encoding = generic ? (in.encoding() == null ? "hex" : in.encoding()) : null;
        if (encoding != null && !List.of("hex", "base64").contains(encoding)) {
            throw ConnectError.badRequest("invalid_request", "encoding must be hex or base64");
        }
        if (generic && in.prefix() != null && in.prefix().length() > 64) {
            throw ConnectError.badRequest("invalid_request", "prefix is at most 64 characters");
        }
        int tolerance = in.toleranceSeconds() == null ? DEFAULT_TOLERANCE_SECONDS : in.toleranceSeconds();
        int maxBytes = in.maxBytes() == null ? DEFAULT_MAX_BYTES : in.maxBytes();
        if (tolerance < 1 || tolerance > 86400 || maxBytes < 1 || maxBytes > LARGEST_MAX_BYTES) {
            throw ConnectError.badRequest("invalid_request", "toleranceSeconds is 1-86400, maxBytes 1-" + LARGEST_MAX_BYTES);
        }
        if (in.rateLimitPerMinute() != null && (in.rateLimitPerMinute() < 0 || in.rateLimitPerMinute() > LARGEST_RATE_LIMIT)) {
            throw ConnectError.badRequest("invalid_request", "rateLimitPerMinute is 0 (none) to " + LARGEST_RATE_LIMIT);
        }
        if (in.accountIdPointer() != null && !AccountRouting.validPointer(in.accountIdPointer())) {
            throw ConnectError.badRequest("invalid_request", "accountIdPointer must be a JSON pointer such as "
                    + "/installation/account/id (at most 255 characters)");
        }
        KeyRing ring = connect.keyRing();
        String realmId = connect.realm().getId();
        Webhooks store = Stores.webhooks(connect.session());
        Webhooks.Route existing = store.find(realmId, provider, route).orElse(null);
        String id = existing == null ? UUID.randomUUID().toString() : existing.id();
        String secret = ring.encrypt(in.secret(), Webhooks.secretAad(realmId, id));
        store.put(new Webhooks.Route(id, realmId, provider, route, in.scheme(), generic ? in.header() : null, encoding,
                generic ? in.prefix() : null, generic ? in.deliveryIdHeader() : null, secret, ring.primaryKeyId(),
                tolerance, maxBytes, System.currentTimeMillis(), in.rateLimitPerMinute(), in.accountIdPointer()));
        return existing == null;
    }

    /** A route without its secret; 404 when there is none. */
    public Map<String, Object> view(String provider, String route) throws ConnectError {
        Webhooks.Route r = find(provider, route);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", r.provider());
        m.put("route", r.route());
        m.put("scheme", r.scheme());
        m.put("header", r.header());
        m.put("encoding", r.encoding());
        m.put("prefix", r.prefix());
        m.put("deliveryIdHeader", r.deliveryIdHeader());
        m.put("toleranceSeconds", r.toleranceSeconds());
        m.put("maxBytes", r.maxBytes());
        m.put("rateLimitPerMinute", rateLimit(r));
        m.put("accountIdPointer", r.accountIdPointer());
        m.put("secretSet", true);
        m.put("updatedAt", Instant.ofEpochMilli(r.updatedAt()).toString());
        return m;
    }

    public boolean delete(String provider, String route) throws ConnectError {
        requireNames(provider, route);
        return Stores.webhooks(connect.session()).delete(connect.realm().getId(), provider, route);
    }

    /** The route's deliveries, newest first: time, verdict, size, delivery id, the connections it was routed to. */
    public List<Map<String, Object>> activity(String provider, String route, Integer first, Integer max) throws ConnectError {
        Webhooks.Route r = find(provider, route);
        int f = first == null ? 0 : Math.max(0, first);
        int m = max == null ? 100 : Math.min(500, Math.max(1, max));
        return Stores.webhooks(connect.session()).activity(r.realmId(), provider, route, f, m).stream().map(d -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("receivedAt", Instant.ofEpochMilli(d.receivedAt()).toString());
            v.put("verdict", d.verdict());
            v.put("size", d.size());
            v.put("deliveryId", d.deliveryId());
            v.put("connectionIds", d.connectionIds());
            return v;
        }).toList();
    }

    private Webhooks.Route find(String provider, String route) throws ConnectError {
        requireNames(provider, route);
        return Stores.webhooks(connect.session()).find(connect.realm().getId(), provider, route)
                .orElseThrow(() -> ConnectError.notFound("no webhook route " + provider + "/" + route));
    }

    private static void requireNames(String provider, String route) throws ConnectError {
        if (!validName(provider) || !validName(route)) {
            throw ConnectError.badRequest("invalid_request", "provider and route are 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
    }
}
