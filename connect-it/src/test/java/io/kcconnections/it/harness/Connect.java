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
        Browser b = browserOf(bearer);
        String landed = b.loginAndFollow(r.json().get("authorize_url").asText(), upstreamUser[0], upstreamUser[1]);
        b.lastCode();
        return landed;
    }

    /**
     * A browser of the person a user token belongs to, who signs in to Keycloak when a start page asks (the demo
     * realm's people have their username as password).
     */
    public static Browser browserOf(String bearer) {
        String user = username(bearer);
        return new Browser(TestServer.baseUrl()).as(user, user);
    }

    /** Where a start URL sends the browser of the person the bearer belongs to: the provider's authorization URL. */
    public static String providerUrl(String bearer, Http.Resp authorized) {
        assertEquals(200, authorized.status(), () -> "authorize: " + authorized);
        return browserOf(bearer).providerUrl(authorized.json().get("authorize_url").asText());
    }

    /** The {@code preferred_username} of an access token. */
    public static String username(String bearer) {
        try {
            String payload = bearer.split("\\.")[1];
            return Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(payload)).get("preferred_username").asText();
        } catch (Exception e) {
            throw new AssertionError("not a JWT access token", e);
        }
    }

    /** Notes the token of a token answer as a secret (the log scan looks for it). */
    public static Http.Resp noteToken(Http.Resp r) {
        if (r.status() == 200) {
            SecretLedger.note(r.json().path("token").asText(null));
        }
        return r;
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
