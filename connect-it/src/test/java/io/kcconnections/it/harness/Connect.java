package io.kcconnections.it.harness;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Drives the connect flow as an app and a person would. */
public final class Connect {

    public static final String APP_REDIRECT = "http://localhost:3000/connected";

    private Connect() {
    }

    /** {@code GET /connect/authorize}; returns the raw response. */
    public static Http.Resp authorize(TestRealm realm, String bearer, Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(Http.enc(k)).append('=').append(Http.enc(v)));
        return Http.get(realm.url("/connect/authorize" + q), bearer);
    }

    public static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * A whole connect: authorize as the app, log in at the upstream as the person, follow back to the app.
     *
     * @return the URL the browser finally lands on (the app's redirect_uri with success or error)
     */
    public static String connect(TestRealm realm, String bearer, String provider, String connectionId, String[] upstreamUser) {
        Map<String, String> p = params("provider", provider, "redirect_uri", APP_REDIRECT);
        if (connectionId != null) {
            p.put("connection_id", connectionId);
        }
        Http.Resp r = authorize(realm, bearer, p);
        assertEquals(200, r.status(), () -> "authorize: " + r);
        Browser b = new Browser(TestServer.baseUrl());
        String landed = b.loginAndFollow(r.json().get("authorize_url").asText(), upstreamUser[0], upstreamUser[1]);
        b.lastCode();
        return landed;
    }

    /** {@code GET /connect/token/{id}}; notes the token as a secret. */
    public static Http.Resp token(TestRealm realm, String bearer, String connectionId, String provider) {
        Http.Resp r = Http.get(realm.url("/connect/token/" + connectionId + (provider == null ? "" : "?provider=" + provider)), bearer);
        if (r.status() == 200) {
            JsonNode j = r.json();
            SecretLedger.note(j.path("token").asText(null));
        }
        return r;
    }
}
