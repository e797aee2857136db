package io.kcconnections.it.providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.fakes.FakeProvider;
import io.kcconnections.it.harness.Chromium;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSO login through catalog entries without a Keycloak login type, in a real Chromium, against the contract fakes:
 * the extension's identity provider type {@code kc-connections} runs the connection's own requests, so each quirk
 * class the fake enforces must hold at login too. Three classes: the account in the token answer with HTTP Basic and a
 * JSON body (Notion), the account at a userinfo endpoint under a nested pointer with PKCE required (X), and a
 * {@code form_post} callback with a client-secret JWT made by a hook and the name sent once (Sign in with Apple).
 */
class LoginQuirksIT extends QuirkContract {

    private static final String APP = "http://localhost:3000/after-login";

    @Override
    @BeforeAll
    void start() throws Exception {
        fakes = new QuirkFakes();
        fake = fakes.fake;
        Map<String, String> env = new LinkedHashMap<>(fakes.env());
        for (String p : new String[]{"NOTION", "TWITTER", "APPLE"}) {
            env.put("CONNECT_" + p + "_LOGIN_ENABLED", "true");
        }
        TestServer.restartWith(env);
        realm = TestRealm.create();
        fakes.registerRedirects(realm);
        for (String p : new String[]{"notion", "twitter", "apple"}) {
            fake.get(p).registeredRedirect = TestServer.baseUrl() + "/realms/" + realm.name + "/broker/" + p + "/endpoint";
        }
    }

    @Test
    @DisplayName("the login sync makes kc-connections identity providers, with no client secret in the realm")
    void identityProviders() {
        for (String p : new String[]{"notion", "twitter", "apple"}) {
            JsonNode idp = realm.admin().get("/" + realm.name + "/identity-provider/instances/" + p).json();
            assertEquals("kc-connections", idp.get("providerId").asText(), idp::toString);
            assertEquals(p, idp.get("config").get("kcConnections.provider").asText());
            assertFalse(idp.get("config").has("clientSecret"), "the secret stays with the provider's configuration");
        }
    }

    @Test
    @DisplayName("Notion: account from the token answer (Basic, JSON body, Notion-Version); its email has no verified"
            + " flag, so it is not imported")
    void notion() throws Exception {
        JsonNode user = login("notion", "alice.notion@example.org");
        assertEquals("notion-user-1", federatedId(user, "notion"));
        assertEquals("alice.notion@example.org", user.get("email").asText(), "the person's own, not Notion's");
        assertFalse(user.get("emailVerified").asBoolean());
        FakeProvider.Seen exchange = fake.get("notion").last("token");
        assertTrue(exchange.header("authorization").startsWith("Basic "));
        assertEquals("2025-09-03", exchange.header("Notion-Version"));
    }

    @Test
    @DisplayName("X: account at users/me under /data/id, PKCE required; no email from X")
    void twitter() throws Exception {
        JsonNode user = login("twitter", "alice.x@example.org");
        assertEquals("2244994945", federatedId(user, "twitter"));
        assertEquals("twitter-2244994945", user.get("username").asText());
        assertNotNull(fake.get("twitter").last("authorize").params().get("code_challenge"));
        assertNotNull(fake.get("twitter").last("token").params().get("code_verifier"));
    }

    @Test
    @DisplayName("Apple: form_post callback, client-secret JWT from the apple hook, the name from the first"
            + " authorization, the ID token's verified email")
    void apple() throws Exception {
        JsonNode user = login("apple", null);
        assertEquals("001234.apple-user", federatedId(user, "apple"));
        assertEquals("alice@privaterelay.appleid.com", user.get("email").asText());
        assertTrue(user.get("emailVerified").asBoolean(), "Apple's email_verified");
        assertEquals("Alice", user.get("firstName").asText());
        assertEquals("Demo", user.get("lastName").asText());
        String secret = fake.get("apple").last("token").params().get("client_secret");
        assertNull(fakes.appleSecretProblem(secret), "a valid ES256 client-secret JWT, not the .p8 key");
    }

    /** Logs in to the demo app through the provider's button; returns the realm's user (admin representation). */
    private JsonNode login(String provider, String emailToGive) throws Exception {
        Chromium.assumeInstalled();
        String verifier = SecretLedger.note(UUID.randomUUID() + "-" + UUID.randomUUID());
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            driver.get(realm.url("/protocol/openid-connect/auth?client_id=demo-app&response_type=code&scope=openid"
                    + "&code_challenge_method=S256&code_challenge=" + challenge + "&redirect_uri=" + Http.enc(APP)));
            wait.until(ExpectedConditions.elementToBeClickable(By.id("social-" + provider))).click();
            wait.until(d -> d.getCurrentUrl().startsWith(APP) || !d.findElements(By.cssSelector("form#kc-idp-review-profile-form,"
                    + " form#kc-update-profile-form")).isEmpty());
            if (!driver.getCurrentUrl().startsWith(APP)) {
                Chromium.screenshot(driver, "login-" + provider + "-review-profile");
                fill(driver, "email", emailToGive);
                fill(driver, "firstName", "Alice");
                fill(driver, "lastName", "Demo");
                driver.findElement(By.cssSelector("input[type=submit],button[type=submit]")).click();
                wait.until(d -> d.getCurrentUrl().startsWith(APP));
            }
            assertNotNull(SecretLedger.note(Http.queryParam(driver.getCurrentUrl(), "code")), driver.getCurrentUrl());
        } finally {
            driver.quit();
        }
        JsonNode users = realm.admin().get("/" + realm.name + "/users?idpAlias=" + provider + "&briefRepresentation=false").json();
        assertEquals(1, users.size(), users::toString);
        return users.get(0);
    }

    private static void fill(WebDriver driver, String id, String value) {
        for (WebElement e : driver.findElements(By.id(id))) {
            if (e.isEnabled() && e.getAttribute("value").isEmpty() && value != null) {
                e.sendKeys(value);
            }
        }
    }

    private String federatedId(JsonNode user, String alias) {
        for (JsonNode f : realm.admin().get("/" + realm.name + "/users/" + user.get("id").asText() + "/federated-identity").json()) {
            if (alias.equals(f.get("identityProvider").asText())) {
                return f.get("userId").asText();
            }
        }
        throw new AssertionError("no " + alias + " link on " + user);
    }
}
