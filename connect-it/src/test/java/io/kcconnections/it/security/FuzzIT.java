package io.kcconnections.it.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public parameter of the connect endpoints, given hostile values (very long, unicode, control characters,
 * markup, path tricks, repeated): always a 4xx (never a 5xx), JSON with an error code from the API endpoints, a plain
 * error page from the browser ones, the value never reflected raw, and nothing stored.
 */
class FuzzIT {

    private static final List<String> HOSTILE = List.of(
            "x".repeat(10_000),
            "ü𝄞\u202Eevil\u200B",
            "a\u0000b",
            "line\r\nSet-Cookie: x=y",
            "<script>alert(1)</script>",
            "../../../etc/passwd",
            "%00%2e%2e%2f",
            "${vault.token-encryption-key}",
            "' OR '1'='1");

    @FreshRealm
    private TestRealm realm;

    private static String enc(String v) {
        return Http.enc(v);
    }

    private void assertRefusedAsJson(Http.Resp r, String what) {
        assertTrue(r.status() >= 400 && r.status() < 500, () -> what + ": HTTP " + r.status() + " " + cut(r.body()));
        assertTrue(String.valueOf(r.header("Content-Type")).startsWith("application/json"), () -> what + ": " + r.header("Content-Type"));
        assertTrue(r.json().hasNonNull("error"), () -> what + ": " + cut(r.body()));
        assertFalse(r.body().contains("<script>"), what + ": markup reflected");
    }

    /**
     * Refused by the HTTP layer before any resource ran: a request line too long (414, 431), or a path the router
     * does not match (404 without a body).
     */
    private static boolean refusedBeforeUs(Http.Resp r) {
        return r.status() == 414 || r.status() == 431 || (r.status() == 404 && r.body().isEmpty());
    }

    private static String cut(String s) {
        return s == null ? "" : s.substring(0, Math.min(300, s.length()));
    }

    @Test
    @DisplayName("the API endpoints answer every hostile parameter with a 4xx JSON error and store nothing")
    void apiParameters() throws Exception {
        String alice = realm.alice();
        String backend = realm.serviceToken("demo-backend", "demo-backend-secret");
        for (String v : HOSTILE) {
            String e = enc(v);
            List<Map.Entry<String, Http.Resp>> answers = new ArrayList<>();
            answers.add(Map.entry("authorize provider", Http.get(realm.url("/connect/authorize?provider=" + e
                    + "&redirect_uri=" + enc(Connect.APP_REDIRECT)), alice)));
            answers.add(Map.entry("authorize connection_id", Http.get(realm.url("/connect/authorize?provider=keycloak&connection_id="
                    + e + "&redirect_uri=" + enc(Connect.APP_REDIRECT)), alice)));
            answers.add(Map.entry("authorize redirect_uri", Http.get(realm.url("/connect/authorize?provider=keycloak&redirect_uri=" + e), alice)));
            answers.add(Map.entry("authorize scopes", Http.get(realm.url("/connect/authorize?provider=keycloak&scopes=" + e
                    + "&redirect_uri=" + enc(Connect.APP_REDIRECT) + "&connection_id=fz"), alice)));
            answers.add(Map.entry("authorize mcp_server_url", Http.get(realm.url("/connect/authorize?mcp_server_url=" + e
                    + "&redirect_uri=" + enc(Connect.APP_REDIRECT)), alice)));
            answers.add(Map.entry("token id", Http.get(realm.url("/connect/token/" + e), alice)));
            answers.add(Map.entry("token provider", Http.get(realm.url("/connect/token?provider=" + e), alice)));
            answers.add(Map.entry("token user_id", Http.get(realm.url("/connect/token?provider=keycloak&user_id=" + e), backend)));
            answers.add(Map.entry("connection id", Http.get(realm.url("/connect/connections/" + e), alice)));
            answers.add(Map.entry("connections user_id", Http.get(realm.url("/connect/connections?user_id=" + e), backend)));
            answers.add(Map.entry("delete id", Http.delete(realm.url("/connect/connections/" + e + "?provider=keycloak"), alice)));
            answers.add(Map.entry("device provider", Http.postForm(realm.url("/connect/device"), Map.of("provider", v), alice)));
            answers.add(Map.entry("device connection_id", Http.postForm(realm.url("/connect/device"),
                    Map.of("provider", "keycloak", "connection_id", v), alice)));
            answers.add(Map.entry("links user_id", Http.postForm(realm.url("/connect/links"),
                    Map.of("provider", "keycloak", "user_id", v), backend)));
            answers.add(Map.entry("admin user connections", realm.admin().get("/" + realm.name + "/connect/users/" + e + "/connections")));
            answers.add(Map.entry("client-connections provider", Http.postForm(realm.url("/connect/client-connections"),
                    Map.of("provider", v), backend)));
            for (Map.Entry<String, Http.Resp> a : answers) {
                Http.Resp r = a.getValue();
                if (refusedBeforeUs(r)) {
                    continue;
                }
                if (a.getKey().equals("authorize scopes") && r.status() == 200) {
                    // Printable values are valid OAuth scope tokens (RFC 6749 3.3): a start ticket, nothing stored,
                    // the scopes not echoed; they go to the provider URL-encoded.
                    assertFalse(r.body().contains("script"), r::toString);
                    continue;
                }
                if ((a.getKey().startsWith("token") || a.getKey().startsWith("connection")) && r.status() == 200) {
                    throw new AssertionError(a.getKey() + " answered 200 for a hostile value");
                }
                assertRefusedAsJson(r, a.getKey() + " = " + cut(v));
            }
        }
        assertEquals(0, Db.count(realm.name), "nothing stored");
    }

    @Test
    @DisplayName("a parameter given twice is refused, never silently one of the two")
    void repeatedParameters() throws Exception {
        String alice = realm.alice();
        Http.Resp twice = Http.get(realm.url("/connect/authorize?provider=keycloak&redirect_uri=" + enc(Connect.APP_REDIRECT)
                + "&shop=a.myshopify.com&shop=b.myshopify.com"), alice);
        // keycloak takes no per-connection values: the extra ones are ignored, the request is fine
        assertEquals(200, twice.status(), twice::toString);
        Http.Resp device = Http.send(HttpRequest.newBuilder(URI.create(realm.url("/connect/device")))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("provider=keycloak&provider=github")));
        assertRefusedAsJson(device, "device provider twice");
        Http.Resp links = Http.send(HttpRequest.newBuilder(URI.create(realm.url("/connect/links")))
                .header("Authorization", "Bearer " + realm.serviceToken("demo-backend", "demo-backend-secret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("provider=keycloak&user_id=a&user_id=b")));
        assertRefusedAsJson(links, "links user_id twice");
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("the browser endpoints answer hostile values with a plain error page that reflects nothing")
    void browserParameters() throws Exception {
        for (String v : HOSTILE) {
            String e = enc(v);
            for (String path : List.of("/connect/start/" + e, "/connect/callback/keycloak?state=" + e + "&code=" + e,
                    "/connect/callback/" + e + "?state=x&code=y", "/connect/done?error=" + e)) {
                Http.Resp r = Http.get(realm.url(path), null);
                if (refusedBeforeUs(r)) {
                    continue;
                }
                assertTrue(r.status() >= 400 && r.status() < 500, () -> path + ": HTTP " + r.status());
                assertFalse(r.body().contains("<script>alert"), path + ": markup reflected");
                assertFalse(r.body().contains("Set-Cookie: x=y"), path + ": header text reflected");
                assertTrue(r.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("x=")), path);
            }
        }
        assertEquals(0, Db.count(realm.name));
    }
}
