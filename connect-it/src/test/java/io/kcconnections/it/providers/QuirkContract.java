package io.kcconnections.it.providers;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.it.fakes.FakeProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provider quirks, proven against contract fakes: each {@link FakeProvider} holds clients to one provider's
 * documented rules and refuses anything else; the real connect flow runs on the real server with the real catalog
 * entry of that provider, only its URLs pointed at the fake ({@code CONNECT_<NAME>_*_URL}). Each test also shows the
 * negative: what the fake refuses, and what the server does when the provider refuses.
 * <p>
 * The tests are split by kind of quirk ({@link TokenAnswerQuirksIT}, {@link ClientAuthQuirksIT},
 * {@link OfflineAccessQuirksIT}, {@link ConnectionValueQuirksIT}); each class gets all fakes ({@link QuirkFakes}),
 * one server restart with all of them configured, and one realm, and puts the server's settings back at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuirkContract {

    protected QuirkFakes fakes;
    protected Map<String, FakeProvider> fake;
    protected TestRealm realm;

    @BeforeAll
    void start() throws Exception {
        fakes = new QuirkFakes();
        fake = fakes.fake;
        TestServer.restartWith(fakes.env());
        realm = TestRealm.create();
        fakes.registerRedirects(realm);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (realm != null) {
                realm.close();
            }
            TestServer.restoreDefaults();
        } finally {
            fakes.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    /** Runs a whole connect through a fake provider; returns where the browser lands at the app. */
    protected String connect(String provider, String cid, String... extra) {
        Map<String, String> params = Connect.params("provider", provider, "connection_id", cid, "redirect_uri", Connect.APP_REDIRECT);
        for (int i = 0; i < extra.length; i += 2) {
            params.put(extra[i], extra[i + 1]);
        }
        Http.Resp a = Connect.authorize(realm, realm.alice(), params);
        assertEquals(200, a.status(), () -> "authorize: " + a);
        Browser b = Connect.browserOf(realm.alice());
        Browser.Page atProvider = b.get(b.providerUrl(a.json().get("authorize_url").asText()));
        Browser.Page callback;
        if (atProvider.status() == 302) {
            callback = b.get(URI.create(atProvider.url()).resolve(atProvider.location()).toString());
        } else if (atProvider.status() == 200 && atProvider.body().contains("<form method=\"post\"")) {
            // response_mode=form_post: the page's script submits the form to the callback; the test does what it does.
            Matcher action = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"").matcher(atProvider.body());
            assertTrue(action.find());
            Map<String, String> form = new LinkedHashMap<>();
            Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"/>").matcher(atProvider.body());
            while (input.find()) {
                form.put(unescape(input.group(1)), unescape(input.group(2)));
            }
            callback = b.postForm(unescape(action.group(1)), form);
        } else {
            throw new AssertionError("the provider refused the authorization request: HTTP " + atProvider.status() + " "
                    + atProvider.body());
        }
        Browser.Page end = b.follow(callback);
        assertNotNull(end.location(), () -> "the callback did not send the browser to the app: HTTP " + end.status() + " " + end.body());
        assertTrue(end.location().startsWith(Connect.APP_REDIRECT), end.location());
        return end.location();
    }

    /** An authorization code obtained straight from the fake (no server), with the registered redirect and no PKCE. */
    protected static String directCode(FakeProvider f, Map<String, String> extra) {
        StringBuilder url = new StringBuilder(f.url("authorize")).append("?response_type=code&client_id=").append(Http.enc(f.clientId))
                .append("&redirect_uri=").append(Http.enc(f.registeredRedirect)).append("&state=").append(FakeProvider.token(24));
        extra.forEach((k, v) -> url.append('&').append(Http.enc(k)).append('=').append(Http.enc(v)));
        Http.Resp r = Http.get(url.toString(), null);
        assertEquals(302, r.status(), r::toString);
        return FakeProvider.queryOf(r.header("Location")).get("code");
    }

    protected JsonNode token(String cid, String provider) {
        Http.Resp r = Connect.token(realm, realm.alice(), cid, provider);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    protected static void assertSuccess(String landed) {
        assertEquals("true", Http.queryParam(landed, "success"), landed);
    }

    protected static void assertError(String landed, String error) {
        assertEquals(error, Http.queryParam(landed, "error"), landed);
        assertNull(Http.queryParam(landed, "success"));
    }

    protected static void assertRefused(Http.Resp r, int status, String error) {
        assertEquals(status, r.status(), r::toString);
        assertEquals(error, r.json().get("error").asText(), r::toString);
    }

    protected static Http.Resp post(String url, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return Http.send(b);
    }

    protected static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((Http.enc(id) + ":" + Http.enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    protected static List<String> list(JsonNode array) {
        List<String> l = new java.util.ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    protected static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
