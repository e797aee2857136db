package io.kcconnections.connect.net;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.http.impl.client.CloseableHttpClient;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;

/** A Keycloak session for unit tests whose only provider is an {@link HttpClientProvider} standing in for Keycloak's. */
final class StubSession {

    private StubSession() {
    }

    /**
     * @param client   what {@code getHttpClient()} returns
     * @param maxBytes what {@code getMaxConsumedResponseSize()} returns
     * @param uses     counts the calls of {@code getHttpClient()}
     */
    static KeycloakSession withHttpClient(CloseableHttpClient client, long maxBytes, AtomicInteger uses) {
        HttpClientProvider provider = (HttpClientProvider) Proxy.newProxyInstance(StubSession.class.getClassLoader(),
                new Class<?>[]{HttpClientProvider.class}, (p, m, args) -> switch (m.getName()) {
                    case "getHttpClient" -> {
                        uses.incrementAndGet();
                        yield client;
                    }
                    case "getMaxConsumedResponseSize" -> maxBytes;
                    default -> null;
                });
        return (KeycloakSession) Proxy.newProxyInstance(StubSession.class.getClassLoader(), new Class<?>[]{KeycloakSession.class},
                (p, m, args) -> "getProvider".equals(m.getName()) && args[0] == HttpClientProvider.class ? provider : null);
    }
}
