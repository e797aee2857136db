package io.kcconnections.connect.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import org.apache.http.conn.DnsResolver;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.SystemDefaultDnsResolver;

/**
 * The HTTP clients of this extension's own (one per use, built once per node): redirects, cookies and auth caching
 * off, keep-alive pooling, the JVM's default trust (Keycloak's {@code truststore-paths} feed it) and no proxy (a proxy
 * would resolve names itself, out of the guard's sight). Unless private hosts are allowed, names are resolved by
 * {@link #PINNED}: the addresses checked are the addresses connected to.
 */
public final class PinnedClients {

    /** What a client is for: its pool size. */
    public enum Use {
        /** MCP servers and their authorization servers ({@link GuardedFetch}). */
        MCP(32, 4),
        /** Provider token, refresh, revoke, device and userinfo calls ({@link OutboundHttp}); Keycloak's pool sizes. */
        PROVIDERS(128, 64),
        /** Signed lifecycle events to apps' endpoints ({@link WebhookPost}). */
        WEBHOOKS(32, 4);

        private final int maxTotal;
        private final int maxPerRoute;

        Use(int maxTotal, int maxPerRoute) {
            this.maxTotal = maxTotal;
            this.maxPerRoute = maxPerRoute;
        }
    }

    /** What the pinned resolver throws for a host that resolves (now) to an address the policy refuses. */
    public static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String host) {
            super("host " + (host.length() > 100 ? host.substring(0, 100) + "…" : host) + " resolves to a non-public address");
        }
    }

    /**
     * Resolves for the connection itself and refuses when any address is internal: a name that changes its answer
     * between the policy's check and the connect (DNS rebinding) gains nothing.
     */
    static final DnsResolver PINNED = host -> {
        InetAddress[] all = SystemDefaultDnsResolver.INSTANCE.resolve(host);
        for (InetAddress a : all) {
            if (HostPolicy.isSpecial(a)) {
                throw new RefusedAddress(host);
            }
        }
        return all;
    };

    private static final ConcurrentMap<String, CloseableHttpClient> CLIENTS = new ConcurrentHashMap<>();

    private PinnedClients() {
    }

    /**
     * The client for a use: with the pinned resolver, or (private hosts allowed: tests and labs) the system's.
     * Requests set their own timeouts; these clients have none of their own beyond Apache's defaults.
     */
    public static CloseableHttpClient client(Use use, boolean allowPrivate) {
        return CLIENTS.computeIfAbsent(use + (allowPrivate ? "/lab" : "/pinned"), k -> build(use, allowPrivate));
    }

    private static CloseableHttpClient build(Use use, boolean allowPrivate) {
        return HttpClientBuilder.create().disableRedirectHandling().disableCookieManagement().disableAuthCaching()
                .setMaxConnTotal(use.maxTotal).setMaxConnPerRoute(use.maxPerRoute)
                .evictIdleConnections(60, TimeUnit.SECONDS)
                .setSSLSocketFactory(SSLConnectionSocketFactory.getSystemSocketFactory())
                .setDnsResolver(allowPrivate ? SystemDefaultDnsResolver.INSTANCE : PINNED)
                .setUserAgent("Keycloak-Connections").build();
    }
}
