package io.kcconnections.connect.config;

import io.kcconnections.connect.limits.RateLimits;

import java.util.LinkedHashMap;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Deployment-wide options of the extension. Each option is read from the SPI option
 * {@code --spi-connect--default--<name>} first and from its {@code CONNECT_*} environment variable second; both
 * sources are handed in, so tests can supply them. Values are validated here; a bad value falls back to its default
 * and is reported in {@link #problems()}.
 */
public final class ConnectSettings {

    /** An option: SPI name, environment variable, default, help text. */
    public record Option(String name, String env, String defaultValue, String type, String help, boolean secret) {
    }

    public static final Option TOKEN_ENCRYPTION_KEY = new Option("token-encryption-key", "CONNECT_TOKEN_ENCRYPTION_KEY", null,
            ProviderConfigProperty.PASSWORD,
            "Primary AES-256 key (32 bytes, base64 or base64url) encrypting stored tokens, or a ${vault.name} reference. "
                    + "Without it the connect endpoints answer 503.", true);
    public static final Option TOKEN_ENCRYPTION_OLD_KEYS = new Option("token-encryption-old-keys", "CONNECT_TOKEN_ENCRYPTION_OLD_KEYS", null,
            ProviderConfigProperty.PASSWORD,
            "Comma-separated earlier keys (or ${vault.…} references). They decrypt, never encrypt; rows move to the primary key when rewritten.", true);
    public static final Option STATE_TTL_SECONDS = new Option("state-ttl-seconds", "CONNECT_STATE_TTL_SECONDS", "600",
            ProviderConfigProperty.INTEGER_TYPE, "Lifetime of an authorization state (seconds, 30–3600).", false);
    public static final Option START_TTL_SECONDS = new Option("start-ttl-seconds", "CONNECT_START_TTL_SECONDS", "600",
            ProviderConfigProperty.INTEGER_TYPE, "Lifetime of a start URL (connect link) before its person opens it (seconds, 30–604800).", false);
    public static final Option LINK_ISSUER_ROLE = new Option("link-issuer-role", "CONNECT_LINK_ISSUER_ROLE", "connect-link-issuer",
            ProviderConfigProperty.STRING_TYPE, "Realm role a client's service account needs to mint connect links for users (POST /connect/links).", false);
    public static final Option REDIRECT_ALLOW_HOSTS = new Option("redirect-allow-hosts", "CONNECT_REDIRECT_ALLOW_HOSTS", null,
            ProviderConfigProperty.STRING_TYPE,
            "Comma-separated hosts an app's redirect_uri may point at, on top of the client's registered redirect URIs. Empty: any registered host.", false);
    public static final Option DEFAULT_REDIRECT_URI = new Option("default-redirect-uri", "CONNECT_DEFAULT_REDIRECT_URI", null,
            ProviderConfigProperty.STRING_TYPE, "redirect_uri used when an app sends none (still checked like any other).", false);
    public static final Option REFRESH_MARGIN_SECONDS = new Option("refresh-margin-seconds", "CONNECT_REFRESH_MARGIN_SECONDS", "300",
            ProviderConfigProperty.INTEGER_TYPE, "The token endpoint refreshes a token expiring within this many seconds.", false);
    public static final Option TOKEN_READER_ROLE = new Option("token-reader-role", "CONNECT_TOKEN_READER_ROLE", "connect-token-reader",
            ProviderConfigProperty.STRING_TYPE, "Realm role whose service accounts may read any connection's token in their realm.", false);
    public static final Option CLIENT_CONNECTION_ROLE = new Option("client-connection-role", "CONNECT_CLIENT_CONNECTION_ROLE",
            "connect-app-tokens", ProviderConfigProperty.STRING_TYPE,
            "Realm role whose service accounts may make client-credentials connections (app tokens made with the provider's configured client).", false);
    public static final Option ALLOW_PRIVATE_HOSTS = new Option("allow-private-hosts", "CONNECT_ALLOW_PRIVATE_HOSTS", "false",
            ProviderConfigProperty.BOOLEAN_TYPE,
            "Allow provider URLs and domain values on loopback, private or link-local addresses and over plain http. For tests and labs only.", false);
    public static final Option REFRESH_LEASE_SECONDS = new Option("refresh-lease-seconds", "CONNECT_REFRESH_LEASE_SECONDS", "60",
            ProviderConfigProperty.INTEGER_TYPE,
            "How long a node may hold a connection while refreshing it before another node may take over (seconds).", false);
    public static final Option REFRESH_WAIT_MILLIS = new Option("refresh-wait-millis", "CONNECT_REFRESH_WAIT_MILLIS", "15000",
            ProviderConfigProperty.INTEGER_TYPE,
            "How long a token read waits for a refresh that another request or node is doing (milliseconds).", false);

    public static final Option REFRESH_WINDOW_SECONDS = new Option("refresh-window-seconds", "CONNECT_REFRESH_WINDOW_SECONDS", "600",
            ProviderConfigProperty.INTEGER_TYPE,
            "The background refresher renews tokens expiring within this many seconds.", false);

    public static final Option REFRESH_INTERVAL_SECONDS = new Option("refresh-interval-seconds", "CONNECT_REFRESH_INTERVAL_SECONDS", "300",
            ProviderConfigProperty.INTEGER_TYPE, "How often each node runs a background refresh pass (seconds, 5–86400; 0 turns the refresher off).", false);
    public static final Option REFRESH_CONCURRENCY = new Option("refresh-concurrency", "CONNECT_REFRESH_CONCURRENCY", "4",
            ProviderConfigProperty.INTEGER_TYPE, "Provider calls a node's refresh pass makes at once (1–64).", false);
    public static final Option REFRESH_PAGE_SIZE = new Option("refresh-page-size", "CONNECT_REFRESH_PAGE_SIZE", "32",
            ProviderConfigProperty.INTEGER_TYPE, "Connections a pass claims per database round trip (1–1000).", false);
    public static final Option CLEANUP_INTERVAL_SECONDS = new Option("cleanup-interval-seconds", "CONNECT_CLEANUP_INTERVAL_SECONDS", "600",
            ProviderConfigProperty.INTEGER_TYPE, "How often the cleanup task runs (seconds, 5–86400; 0 turns it off).", false);
    public static final Option RETENTION_DAYS = new Option("needs-reauth-retention-days", "CONNECT_NEEDS_REAUTH_RETENTION_DAYS", "30",
            ProviderConfigProperty.INTEGER_TYPE,
            "Days a connection that needs a new consent (or expired without a refresh token) is kept before cleanup deletes it (0: keep).", false);

    public static final Option DEVICE_POLL_SECONDS = new Option("device-poll-seconds", "CONNECT_DEVICE_POLL_SECONDS", "5",
            ProviderConfigProperty.INTEGER_TYPE, "How often each node looks for pending device authorizations whose next "
            + "poll is due (seconds, 1–300; 0 leaves them to the refresh pass and to status reads). Each is still "
            + "polled no more often than its provider's interval.", false);
    public static final Option MCP_DISCOVERY_TTL_SECONDS = new Option("mcp-discovery-ttl-seconds", "CONNECT_MCP_DISCOVERY_TTL_SECONDS", "3600",
            ProviderConfigProperty.INTEGER_TYPE, "How long a node keeps what it discovered about an MCP server "
            + "(protected-resource and authorization-server metadata), in seconds (0–86400; 0: discover every time).", false);
    public static final Option MCP_MAX_REGISTRATIONS = new Option("mcp-max-registrations", "CONNECT_MCP_MAX_REGISTRATIONS", "100",
            ProviderConfigProperty.INTEGER_TYPE, "Most clients a realm registers at MCP authorization servers (one per issuer, "
            + "1–100000); beyond it, connecting to a server at a new issuer is refused.", false);
    public static final Option MCP_MAX_REGISTRATIONS_PER_USER = new Option("mcp-max-registrations-per-user",
            "CONNECT_MCP_MAX_REGISTRATIONS_PER_USER", "10", ProviderConfigProperty.INTEGER_TYPE, "Most clients one person's "
            + "connects may register at MCP authorization servers in a realm (1–100000), so that one person cannot use up "
            + "the realm's mcp-max-registrations.", false);
    public static final Option MAX_CONNECTIONS_PER_USER = new Option("max-connections-per-user",
            "CONNECT_MAX_CONNECTIONS_PER_USER", "100", ProviderConfigProperty.INTEGER_TYPE,
            "Most connections one person may have in a realm (1–100000); a new one beyond it is refused (connection_limit).", false);
    public static final Option RATE_LIMIT_TOKEN_READS = new Option("rate-limit-token-reads-per-minute",
            "CONNECT_RATE_LIMIT_TOKEN_READS_PER_MINUTE", "6000", ProviderConfigProperty.INTEGER_TYPE,
            "Token reads a minute for each user and for each client, on each node (0: no limit; 429 with Retry-After "
                    + "beyond). A realm may set its own with the attribute connect.rate-limit.token-reads.", false);
    public static final Option RATE_LIMIT_CONNECT_STARTS = new Option("rate-limit-connect-starts-per-minute",
            "CONNECT_RATE_LIMIT_CONNECT_STARTS_PER_MINUTE", "600", ProviderConfigProperty.INTEGER_TYPE,
            "Connect starts (authorize, links, device, client connections) a minute for each user and for each client, "
                    + "on each node (0: no limit). Realm attribute: connect.rate-limit.connect-starts.", false);
    public static final Option RATE_LIMIT_CONNECTION_READS = new Option("rate-limit-connection-reads-per-minute",
            "CONNECT_RATE_LIMIT_CONNECTION_READS_PER_MINUTE", "1200", ProviderConfigProperty.INTEGER_TYPE,
            "Token reads a minute of any one connection, on each node (0: no limit). Realm attributes: "
                    + "connect.rate-limit.connection-reads, and connect.rate-limit.connection-reads.<provider> for one "
                    + "provider.", false);
    public static final Option OUTBOUND_DEADLINE_SECONDS = new Option("outbound-deadline-seconds",
            "CONNECT_OUTBOUND_DEADLINE_SECONDS", "30", ProviderConfigProperty.INTEGER_TYPE,
            "Total time one call to a provider may take, its whole answer included (1–600; at most half of "
                    + "refresh-lease-seconds, so a refresh never outlives its lease).", false);
    public static final Option OUTBOUND_HTTP_CLIENT = new Option("outbound-http-client", "CONNECT_OUTBOUND_HTTP_CLIENT", "pinned",
            ProviderConfigProperty.STRING_TYPE, "How calls to providers (token, refresh, revoke, device, userinfo, login "
            + "discovery) go out. pinned: over the extension's own client, which resolves each host once, refuses "
            + "non-public addresses and connects to the very address it checked (a name that rebinds between the check "
            + "and the connect reaches nothing internal), with the JVM's trust store (Keycloak's truststore-paths) and "
            + "no proxy. keycloak: over Keycloak's shared HTTP client, for deployments that must use its proxy settings; "
            + "the address is then checked when the name is resolved before the call, not on the address connected to, "
            + "and redirects that client follows are not checked at all. With allow-private-hosts on, Keycloak's client is used.", false);
    public static final Option MAX_RESPONSE_BYTES = new Option("max-response-bytes", "CONNECT_MAX_RESPONSE_BYTES", "1048576",
            ProviderConfigProperty.INTEGER_TYPE, "Largest answer read from a provider (token, refresh, revoke, device, "
            + "userinfo, login discovery), in bytes (4096–10485760); a larger one is refused and not read further. "
            + "Keycloak's own limit (connections-http-client max-consumed-response-size, 10 MB) applies when smaller.", false);
    public static final Option ROW_CACHE_SECONDS = new Option("row-cache-seconds", "CONNECT_ROW_CACHE_SECONDS", "60",
            ProviderConfigProperty.INTEGER_TYPE, "How long a node keeps a connection row it read for a token read, "
            + "encrypted as stored (0–3600; 0 turns the cache off). Every write invalidates the row on every node through "
            + "Keycloak's cluster notifications when it commits; this bounds what a lost notification could leave.", false);
    public static final Option MCP_MAX_DOCUMENT_BYTES = new Option("mcp-max-document-bytes", "CONNECT_MCP_MAX_DOCUMENT_BYTES", "65536",
            ProviderConfigProperty.INTEGER_TYPE, "Largest metadata or registration answer read from an MCP server or its "
            + "authorization server (bytes, 1024–1048576); larger answers are refused.", false);

    public static final Option MCP_CATALOG_FILE = new Option("mcp-catalog-file", "CONNECT_MCP_CATALOG_FILE", null,
            ProviderConfigProperty.STRING_TYPE, "A JSON file of remote MCP servers added to the bundled catalog "
            + "(GET /connect/mcp/catalog), same shape as connect-mcp-catalog/servers.json; read again when it changes.", false);

    public static final Option MAX_CONNECTIONS_PER_TYPE = new Option("max-connections-per-type", "CONNECT_MAX_CONNECTIONS_PER_TYPE",
            "100", ProviderConfigProperty.INTEGER_TYPE, "Most typed credentials (api_key, basic, smtp, …) of one type a person or "
            + "a client may store in a realm (1–100000); one more is refused (connection_limit).", false);
    public static final Option HEALTH_INTERVAL_SECONDS = new Option("health-interval-seconds", "CONNECT_HEALTH_INTERVAL_SECONDS",
            "300", ProviderConfigProperty.INTEGER_TYPE, "How often the background prober checks each connection and credential "
            + "(0: off; else 10–86400).", false);
    public static final Option HEALTH_UNHEALTHY_AFTER = new Option("health-unhealthy-after", "CONNECT_HEALTH_UNHEALTHY_AFTER",
            "3", ProviderConfigProperty.INTEGER_TYPE, "Failed checks in a row before a connection or credential is unhealthy "
            + "(1–100); one success makes it healthy again.", false);

    public static final List<Option> OPTIONS = withWebhookOut(TOKEN_ENCRYPTION_KEY, TOKEN_ENCRYPTION_OLD_KEYS, STATE_TTL_SECONDS, START_TTL_SECONDS, LINK_ISSUER_ROLE,
            REDIRECT_ALLOW_HOSTS, DEFAULT_REDIRECT_URI, REFRESH_MARGIN_SECONDS, REFRESH_WINDOW_SECONDS, TOKEN_READER_ROLE,
            CLIENT_CONNECTION_ROLE, ALLOW_PRIVATE_HOSTS, REFRESH_LEASE_SECONDS, REFRESH_WAIT_MILLIS, REFRESH_INTERVAL_SECONDS, REFRESH_CONCURRENCY,
            REFRESH_PAGE_SIZE, CLEANUP_INTERVAL_SECONDS, RETENTION_DAYS, DEVICE_POLL_SECONDS, MCP_DISCOVERY_TTL_SECONDS,
            MCP_MAX_DOCUMENT_BYTES, MCP_MAX_REGISTRATIONS, MCP_MAX_REGISTRATIONS_PER_USER, MAX_CONNECTIONS_PER_USER,
            RATE_LIMIT_TOKEN_READS, RATE_LIMIT_CONNECT_STARTS, RATE_LIMIT_CONNECTION_READS,
            OUTBOUND_DEADLINE_SECONDS, OUTBOUND_HTTP_CLIENT, MAX_RESPONSE_BYTES, ROW_CACHE_SECONDS, MCP_CATALOG_FILE,
            MAX_CONNECTIONS_PER_TYPE, HEALTH_INTERVAL_SECONDS, HEALTH_UNHEALTHY_AFTER);

    private static List<Option> withWebhookOut(Option... own) {
        List<Option> all = new ArrayList<>(List.of(own));
        all.addAll(WebhookOutSettings.OPTIONS);
        return List.copyOf(all);
    }

    private final String encryptionKey;
    private final List<String> oldEncryptionKeys;
    private final int stateTtlSeconds;
    private final int startTtlSeconds;
    private final String linkIssuerRole;
    private final Set<String> redirectAllowHosts;
    private final String defaultRedirectUri;
    private final int refreshMarginSeconds;
    private final int refreshWindowSeconds;
    private final String tokenReaderRole;
    private final String clientConnectionRole;
    private final boolean allowPrivateHosts;
    private final int refreshLeaseSeconds;
    private final int refreshWaitMillis;
    private final int refreshIntervalSeconds;
    private final int refreshConcurrency;
    private final int refreshPageSize;
    private final int cleanupIntervalSeconds;
    private final int retentionDays;
    private final int devicePollSeconds;
    private final int mcpDiscoveryTtlSeconds;
    private final String mcpCatalogFile;
    private final int mcpMaxDocumentBytes;
    private final int mcpMaxRegistrations;
    private final int mcpMaxRegistrationsPerUser;
    private final int maxConnectionsPerUser;
    private final int maxConnectionsPerType;
    private final int healthIntervalSeconds;
    private final int healthUnhealthyAfter;
    private final int rateLimitTokenReads;
    private final int rateLimitConnectStarts;
    private final int rateLimitConnectionReads;
    private final int outboundDeadlineSeconds;
    private final String outboundHttpClient;
    private final int maxResponseBytes;
    private final int rowCacheSeconds;
    private final WebhookOutSettings webhookOut;
    private final List<String> problems;

    private ConnectSettings(Function<String, String> spi, Map<String, String> env) {
        List<String> p = new ArrayList<>();
        this.encryptionKey = blankToNull(read(spi, env, TOKEN_ENCRYPTION_KEY));
        this.oldEncryptionKeys = csv(read(spi, env, TOKEN_ENCRYPTION_OLD_KEYS));
        this.stateTtlSeconds = intIn(spi, env, STATE_TTL_SECONDS, 30, 3600, p);
        this.startTtlSeconds = intIn(spi, env, START_TTL_SECONDS, 30, 604800, p);
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : csv(read(spi, env, REDIRECT_ALLOW_HOSTS))) {
            hosts.add(h.toLowerCase(Locale.ROOT));
        }
        this.redirectAllowHosts = Collections.unmodifiableSet(hosts);
        String dr = blankToNull(read(spi, env, DEFAULT_REDIRECT_URI));
        if (dr != null) {
            try {
                if (!URI.create(dr).isAbsolute()) {
                    p.add(DEFAULT_REDIRECT_URI.env + " must be an absolute URI; ignored");
                    dr = null;
                }
            } catch (IllegalArgumentException e) {
                p.add(DEFAULT_REDIRECT_URI.env + " is not a valid URI; ignored");
                dr = null;
            }
        }
        this.defaultRedirectUri = dr;
        this.refreshMarginSeconds = intIn(spi, env, REFRESH_MARGIN_SECONDS, 0, 86400, p);
        this.refreshWindowSeconds = intIn(spi, env, REFRESH_WINDOW_SECONDS, 0, 86400, p);
        String role = blankToNull(read(spi, env, TOKEN_READER_ROLE));
        this.tokenReaderRole = role == null ? TOKEN_READER_ROLE.defaultValue : role;
        String linkRole = blankToNull(read(spi, env, LINK_ISSUER_ROLE));
        this.linkIssuerRole = linkRole == null ? LINK_ISSUER_ROLE.defaultValue : linkRole;
        String ccRole = blankToNull(read(spi, env, CLIENT_CONNECTION_ROLE));
        this.clientConnectionRole = ccRole == null ? CLIENT_CONNECTION_ROLE.defaultValue : ccRole;
        this.allowPrivateHosts = bool(spi, env, ALLOW_PRIVATE_HOSTS, p);
        this.refreshLeaseSeconds = intIn(spi, env, REFRESH_LEASE_SECONDS, 10, 3600, p);
        this.refreshWaitMillis = intIn(spi, env, REFRESH_WAIT_MILLIS, 0, 120000, p);
        this.refreshIntervalSeconds = intervalIn(spi, env, REFRESH_INTERVAL_SECONDS, p);
        this.refreshConcurrency = intIn(spi, env, REFRESH_CONCURRENCY, 1, 64, p);
        this.refreshPageSize = intIn(spi, env, REFRESH_PAGE_SIZE, 1, 1000, p);
        this.cleanupIntervalSeconds = intervalIn(spi, env, CLEANUP_INTERVAL_SECONDS, p);
        this.retentionDays = intIn(spi, env, RETENTION_DAYS, 0, 36500, p);
        this.devicePollSeconds = intIn(spi, env, DEVICE_POLL_SECONDS, 0, 300, p);
        this.mcpDiscoveryTtlSeconds = intIn(spi, env, MCP_DISCOVERY_TTL_SECONDS, 0, 86400, p);
        this.mcpMaxDocumentBytes = intIn(spi, env, MCP_MAX_DOCUMENT_BYTES, 1024, 1048576, p);
        this.mcpMaxRegistrations = intIn(spi, env, MCP_MAX_REGISTRATIONS, 1, 100000, p);
        this.mcpMaxRegistrationsPerUser = intIn(spi, env, MCP_MAX_REGISTRATIONS_PER_USER, 1, 100000, p);
        this.maxConnectionsPerUser = intIn(spi, env, MAX_CONNECTIONS_PER_USER, 1, 100000, p);
        this.maxConnectionsPerType = intIn(spi, env, MAX_CONNECTIONS_PER_TYPE, 1, 100000, p);
        this.healthIntervalSeconds = intervalIn(spi, env, HEALTH_INTERVAL_SECONDS, p);
        this.healthUnhealthyAfter = intIn(spi, env, HEALTH_UNHEALTHY_AFTER, 1, 100, p);
        this.rateLimitTokenReads = intIn(spi, env, RATE_LIMIT_TOKEN_READS, 0, 10_000_000, p);
        this.rateLimitConnectStarts = intIn(spi, env, RATE_LIMIT_CONNECT_STARTS, 0, 10_000_000, p);
        this.rateLimitConnectionReads = intIn(spi, env, RATE_LIMIT_CONNECTION_READS, 0, 10_000_000, p);
        this.outboundDeadlineSeconds = intIn(spi, env, OUTBOUND_DEADLINE_SECONDS, 1, 600, p);
        this.outboundHttpClient = oneOf(spi, env, OUTBOUND_HTTP_CLIENT, List.of("pinned", "keycloak"), p);
        this.maxResponseBytes = intIn(spi, env, MAX_RESPONSE_BYTES, 4096, 10485760, p);
        this.rowCacheSeconds = intIn(spi, env, ROW_CACHE_SECONDS, 0, 3600, p);
        this.mcpCatalogFile = blankToNull(read(spi, env, MCP_CATALOG_FILE));
        this.webhookOut = WebhookOutSettings.read(spi, env, p);
        this.problems = List.copyOf(p);
    }

    /**
     * @param spi reads an SPI option by name (Keycloak's {@code Config.Scope#get}); may return null
     * @param env the process environment
     */
    public static ConnectSettings from(Function<String, String> spi, Map<String, String> env) {
        return new ConnectSettings(spi, env);
    }

    /** The options as Keycloak config metadata (shown in the server info's provider list). */
    public static List<ProviderConfigProperty> metadata() {
        ProviderConfigurationBuilder b = ProviderConfigurationBuilder.create();
        for (Option o : OPTIONS) {
            b.property().name(o.name).type(o.type).helpText(o.help + " Environment: " + o.env + ".")
                    .defaultValue(o.defaultValue).secret(o.secret).add();
        }
        return b.build();
    }

    /** Every option with its effective value, secrets as {@code set}/{@code unset}: for the server info. */
    public Map<String, String> effective() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TOKEN_ENCRYPTION_KEY.name, encryptionKey == null ? "unset" : "set");
        m.put(TOKEN_ENCRYPTION_OLD_KEYS.name, oldEncryptionKeys.isEmpty() ? "unset" : oldEncryptionKeys.size() + " set");
        m.put(STATE_TTL_SECONDS.name, String.valueOf(stateTtlSeconds));
        m.put(START_TTL_SECONDS.name, String.valueOf(startTtlSeconds));
        m.put(LINK_ISSUER_ROLE.name, linkIssuerRole);
        m.put(REDIRECT_ALLOW_HOSTS.name, String.join(",", redirectAllowHosts));
        m.put(DEFAULT_REDIRECT_URI.name, defaultRedirectUri == null ? "" : defaultRedirectUri);
        m.put(REFRESH_MARGIN_SECONDS.name, String.valueOf(refreshMarginSeconds));
        m.put(REFRESH_WINDOW_SECONDS.name, String.valueOf(refreshWindowSeconds));
        m.put(TOKEN_READER_ROLE.name, tokenReaderRole);
        m.put(CLIENT_CONNECTION_ROLE.name, clientConnectionRole);
        m.put(ALLOW_PRIVATE_HOSTS.name, String.valueOf(allowPrivateHosts));
        m.put(REFRESH_LEASE_SECONDS.name, String.valueOf(refreshLeaseSeconds));
        m.put(REFRESH_WAIT_MILLIS.name, String.valueOf(refreshWaitMillis));
        m.put(REFRESH_INTERVAL_SECONDS.name, String.valueOf(refreshIntervalSeconds));
        m.put(REFRESH_CONCURRENCY.name, String.valueOf(refreshConcurrency));
        m.put(REFRESH_PAGE_SIZE.name, String.valueOf(refreshPageSize));
        m.put(CLEANUP_INTERVAL_SECONDS.name, String.valueOf(cleanupIntervalSeconds));
        m.put(RETENTION_DAYS.name, String.valueOf(retentionDays));
        m.put(DEVICE_POLL_SECONDS.name, String.valueOf(devicePollSeconds));
        m.put(MCP_DISCOVERY_TTL_SECONDS.name, String.valueOf(mcpDiscoveryTtlSeconds));
        m.put(MCP_MAX_DOCUMENT_BYTES.name, String.valueOf(mcpMaxDocumentBytes));
        m.put(MCP_MAX_REGISTRATIONS.name, String.valueOf(mcpMaxRegistrations));
        m.put(MCP_MAX_REGISTRATIONS_PER_USER.name, String.valueOf(mcpMaxRegistrationsPerUser));
        m.put(MAX_CONNECTIONS_PER_USER.name, String.valueOf(maxConnectionsPerUser));
        m.put(MAX_CONNECTIONS_PER_TYPE.name, String.valueOf(maxConnectionsPerType));
        m.put(HEALTH_INTERVAL_SECONDS.name, String.valueOf(healthIntervalSeconds));
        m.put(HEALTH_UNHEALTHY_AFTER.name, String.valueOf(healthUnhealthyAfter));
        m.put(RATE_LIMIT_TOKEN_READS.name, String.valueOf(rateLimitTokenReads));
        m.put(RATE_LIMIT_CONNECT_STARTS.name, String.valueOf(rateLimitConnectStarts));
        m.put(RATE_LIMIT_CONNECTION_READS.name, String.valueOf(rateLimitConnectionReads));
        m.put(OUTBOUND_DEADLINE_SECONDS.name, String.valueOf(outboundDeadlineMillis() / 1000));
        m.put(OUTBOUND_HTTP_CLIENT.name, outboundHttpClient);
        m.put(MAX_RESPONSE_BYTES.name, String.valueOf(maxResponseBytes));
        m.put(ROW_CACHE_SECONDS.name, String.valueOf(rowCacheSeconds));
        m.put(MCP_CATALOG_FILE.name, mcpCatalogFile == null ? "" : mcpCatalogFile);
        m.putAll(webhookOut.effective());
        return m;
    }

    static String read(Function<String, String> spi, Map<String, String> env, Option o) {
        String v = spi.apply(o.name);
        if (v == null || v.isBlank()) {
            v = env.get(o.env);
        }
        return v == null || v.isBlank() ? o.defaultValue : v.trim();
    }

    static int intIn(Function<String, String> spi, Map<String, String> env, Option o, int min, int max, List<String> p) {
        String v = read(spi, env, o);
        int def = Integer.parseInt(o.defaultValue);
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                p.add(o.env + "=" + i + " is outside " + min + ".." + max + "; using " + def);
                return def;
            }
            return i;
        } catch (NumberFormatException e) {
            p.add(o.env + " is not a number; using " + def);
            return def;
        }
    }

    /** 0 (off) or 5..86400. */
    private static int intervalIn(Function<String, String> spi, Map<String, String> env, Option o, List<String> p) {
        String v = read(spi, env, o);
        if ("0".equals(v.trim())) {
            return 0;
        }
        return intIn(spi, env, o, 5, 86400, p);
    }

    private static boolean bool(Function<String, String> spi, Map<String, String> env, Option o, List<String> p) {
        String v = read(spi, env, o).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        p.add(o.env + " must be true or false; using " + o.defaultValue);
        return Boolean.parseBoolean(o.defaultValue);
    }

    private static String oneOf(Function<String, String> spi, Map<String, String> env, Option o, List<String> allowed,
                                List<String> p) {
        String v = read(spi, env, o).toLowerCase(Locale.ROOT);
        if (allowed.contains(v)) {
            return v;
        }
        p.add(o.env + " must be one of " + String.join(", ", allowed) + "; using " + o.defaultValue);
        return o.defaultValue;
    }

    static List<String> csv(String v) {
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public String encryptionKey() { return encryptionKey; }
    public List<String> oldEncryptionKeys() { return oldEncryptionKeys; }
    public int stateTtlSeconds() { return stateTtlSeconds; }

    public int startTtlSeconds() { return startTtlSeconds; }

    public String linkIssuerRole() { return linkIssuerRole; }
    public Set<String> redirectAllowHosts() { return redirectAllowHosts; }
    public String defaultRedirectUri() { return defaultRedirectUri; }
    public int refreshMarginSeconds() { return refreshMarginSeconds; }
    public int refreshWindowSeconds() { return refreshWindowSeconds; }
    public String tokenReaderRole() { return tokenReaderRole; }
    public String clientConnectionRole() { return clientConnectionRole; }
    public boolean allowPrivateHosts() { return allowPrivateHosts; }
    public int refreshLeaseSeconds() { return refreshLeaseSeconds; }
    public int refreshWaitMillis() { return refreshWaitMillis; }
    public int refreshIntervalSeconds() { return refreshIntervalSeconds; }
    public int devicePollSeconds() { return devicePollSeconds; }
    public int mcpDiscoveryTtlSeconds() { return mcpDiscoveryTtlSeconds; }
    public String mcpCatalogFile() { return mcpCatalogFile; }
    public int mcpMaxDocumentBytes() { return mcpMaxDocumentBytes; }
    public int mcpMaxRegistrations() { return mcpMaxRegistrations; }
    public int mcpMaxRegistrationsPerUser() { return mcpMaxRegistrationsPerUser; }

    public int maxConnectionsPerUser() { return maxConnectionsPerUser; }
    public int maxConnectionsPerType() { return maxConnectionsPerType; }
    public int healthIntervalSeconds() { return healthIntervalSeconds; }
    public int healthUnhealthyAfter() { return healthUnhealthyAfter; }

    /** The server's per-minute allowance of a rate limit (0: none); realms may set their own. */
    public int rateLimit(RateLimits.Kind kind) {
        return switch (kind) {
            case TOKEN_READS -> rateLimitTokenReads;
            case CONNECT_STARTS -> rateLimitConnectStarts;
            case CONNECTION_READS -> rateLimitConnectionReads;
            case WEBHOOK_DELIVERIES -> RateLimits.DEFAULT_WEBHOOK_DELIVERIES_PER_MINUTE; // no option: each route's own
        };
    }

    /** The total time of one provider call: the option, capped at half the refresh lease (a refresh ends in its lease). */
    public long outboundDeadlineMillis() {
        return Math.min(outboundDeadlineSeconds * 1000L, refreshLeaseSeconds * 500L);
    }

    /** Whether provider calls go over Keycloak's shared client ({@code outbound-http-client=keycloak}), not the pinned one. */
    public boolean outboundKeycloakClient() { return "keycloak".equals(outboundHttpClient); }
    public int maxResponseBytes() { return maxResponseBytes; }
    public int rowCacheSeconds() { return rowCacheSeconds; }
    public WebhookOutSettings webhookOut() { return webhookOut; }
    public int refreshConcurrency() { return refreshConcurrency; }
    public int refreshPageSize() { return refreshPageSize; }
    public int cleanupIntervalSeconds() { return cleanupIntervalSeconds; }
    public int retentionDays() { return retentionDays; }
    /** Values that were refused, each with the default used instead. */
    public List<String> problems() { return problems; }
}
