package io.kcconnections.it.connect;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Chromium;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account console's "Connected services" page (theme kc-connections, which the demo realm and so every test realm
 * uses) in a real Chromium: the empty state, a connect through the upstream realm, and a disconnect that revokes there.
 */
class AccountConsoleIT {

    private static final String UPSTREAM = "/realms/" + TestServer.UPSTREAM_REALM;

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("the page's calls need the person's token: /providers and /connections answer 401 without one;"
            + " the realm's account console is the kc-connections build")
    void apiNeedsAToken() {
        assertEquals(401, Http.get(realm.url("/connect/providers"), null).status());
        assertEquals(401, Http.get(realm.url("/connect/connections"), null).status());
        assertEquals(401, Http.get(realm.url("/connect/connections"), "not-a-token").status());
        Http.Resp page = Http.get(realm.url("/account/"), null);
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("/account/kc-connections/assets/main-"), "the theme's entry script: " + page.body());
    }

    @Test
    @DisplayName("in Chromium: alice without connections sees the empty state (not bob's connection), connects the upstream"
            + " from it, sees it active, disconnects it with the keyboard after confirming, and it is revoked at the upstream")
    void connectAndDisconnectInTheAccountConsole() throws Exception {
        Chromium.assumeInstalled();
        // bob's connection must never show on alice's page.
        String bob = realm.bob();
        assertEquals("true", Http.queryParam(Connect.connect(realm, bob, "keycloak", "bob-upstream", realm.upstreamUser()), "success"));
        String[] upstreamPerson = realm.upstreamUser();

        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = openSignedIn(driver, "alice");

            WebElement empty = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-empty]")));
            assertTrue(empty.getText().contains("No connected services"), empty.getText());
            assertTrue(driver.findElements(By.cssSelector("[data-testid=kcc-connection]")).isEmpty(), "bob's connection is not shown");
            assertTrue(driver.getPageSource().contains("Connected services"), "the navigation and title come from the theme's messages");
            WebElement connect = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=kcc-connect-keycloak]")));
            assertTrue(connect.getText().startsWith("Connect "), connect.getText());
            assertTrue(Files.size(Chromium.screenshot(driver, "account-connected-services-empty")) > 1000);

            connect.click();
            wait.until(ExpectedConditions.urlContains(UPSTREAM + "/"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(upstreamPerson[0]);
            driver.findElement(By.id("password")).sendKeys(upstreamPerson[1]);
            driver.findElement(By.id("kc-login")).click();

            WebElement item = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-connection]")));
            assertTrue(driver.getCurrentUrl().startsWith(realm.url("/account/connected-services")), driver.getCurrentUrl());
            WebElement status = item.findElement(By.cssSelector("[data-testid=kcc-status]"));
            assertEquals("active", status.getAttribute("data-status"));
            assertEquals("Active", status.getText().trim());
            assertTrue(item.getText().contains(upstreamPerson[0]), "the upstream account is shown: " + item.getText());
            assertTrue(item.getText().contains("profile"), "the scopes are shown: " + item.getText());
            assertTrue(item.getText().contains("account-console"), "the app that made it: " + item.getText());
            wait.until(d -> d.getPageSource().contains("The service is connected."));
            assertFalse(driver.getCurrentUrl().contains("success="), "the answer is dropped from the address bar");
            assertEquals(1, driver.findElements(By.cssSelector("[data-testid=kcc-connection]")).size());
            Chromium.screenshot(driver, "account-connected-services-active");

            // What the page shows is alice's connection, live at the upstream.
            String alice = realm.alice();
            JsonNode conns = Http.get(realm.url("/connect/connections"), alice).json().get("connections");
            assertEquals(1, conns.size(), conns::toString);
            String cid = conns.get(0).get("connection_id").asText();
            assertEquals(cid, item.getAttribute("data-connection-id"));
            assertEquals("account-console", conns.get(0).get("app").asText(), "made by the console's own client");
            String reader = realm.serviceToken("demo-backend", "demo-backend-secret");
            Http.Resp t = Connect.token(realm, reader, cid, "keycloak");
            assertEquals(200, t.status(), t::toString);
            String upstreamToken = SecretLedger.note(t.json().get("token").asText());
            assertTrue(introspect(upstreamToken), "active at the upstream before");
            assertTrue(upstreamClientSessions(upstreamPerson[0]) > 0, "the upstream holds the connection's session");

            // Disconnect with the keyboard: Enter on the button, the dialog, Enter on its confirm button.
            item.findElement(By.cssSelector("[data-testid=kcc-disconnect]")).sendKeys(Keys.ENTER);
            WebElement confirm = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=kcc-disconnect-dialog-confirm]")));
            WebElement dialog = driver.findElement(By.cssSelector("[role=dialog]"));
            assertTrue(dialog.getText().contains("Disconnect this service?"), dialog.getText());
            Chromium.screenshot(driver, "account-connected-services-disconnect");
            confirm.sendKeys(Keys.ENTER);

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-empty]")));
            assertTrue(driver.findElements(By.cssSelector("[data-testid=kcc-connection]")).isEmpty());

            assertEquals(0, Http.get(realm.url("/connect/connections"), alice).json().get("connections").size());
            assertFalse(introspect(upstreamToken), "revoked at the upstream");
            assertEquals(0, upstreamClientSessions(upstreamPerson[0]), "no session of the connect client left at the upstream");
            assertEquals(1, Http.get(realm.url("/connect/connections"), bob).json().get("connections").size(), "bob's is untouched");
        } finally {
            driver.quit();
        }
    }

    @Test
    @DisplayName("in Chromium: reconnecting in the account console a connection an app made keeps it that app's: the app"
            + " still reads its token, the console shows it made by the app")
    void reconnectKeepsTheApp() throws Exception {
        Chromium.assumeInstalled();
        String alice = realm.alice();
        String[] upstreamPerson = realm.upstreamUser();
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "app-made", upstreamPerson), "success"));
        Db.update("update CONNECT_CONNECTION set STATUS = 'needs_reauth', STATUS_REASON = 'invalid_grant' where ID = ?",
                Db.row(realm.name, "app-made").get("ID"));

        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = openSignedIn(driver, "alice");

            WebElement item = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-connection]")));
            assertEquals("needs_reauth", item.findElement(By.cssSelector("[data-testid=kcc-status]")).getAttribute("data-status"));
            assertEquals("Needs reconnect", item.findElement(By.cssSelector("[data-testid=kcc-status]")).getText().trim());
            assertTrue(item.findElement(By.cssSelector("[data-testid=kcc-status-reason]")).getText().contains("invalid_grant"));
            assertTrue(item.getText().contains("demo-app"), "made by demo-app: " + item.getText());
            Chromium.screenshot(driver, "account-connected-services-needs-reconnect");

            item.findElement(By.cssSelector("[data-testid=kcc-reconnect]")).click();
            wait.until(ExpectedConditions.urlContains(UPSTREAM + "/"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(upstreamPerson[0]);
            driver.findElement(By.id("password")).sendKeys(upstreamPerson[1]);
            driver.findElement(By.id("kc-login")).click();
            wait.until(d -> d.getPageSource().contains("The service is connected."));
            WebElement again = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=kcc-connection] [data-status=active]")));
            assertEquals("Active", again.getText().trim());
            assertTrue(driver.findElement(By.cssSelector("[data-testid=kcc-connection]")).getText().contains("demo-app"));
        } finally {
            driver.quit();
        }
        JsonNode c = Http.get(realm.url("/connect/connections/app-made?provider=keycloak"), alice).json();
        assertEquals("active", c.get("status").asText(), c::toString);
        assertEquals("demo-app", c.get("app").asText(), "still the app's");
        assertEquals(200, Connect.token(realm, alice, "app-made", "keycloak").status(), "the app still reads its token");
    }

    @Test
    @DisplayName("in Chromium: a stored credential is listed under Stored credentials with its type and health, never its"
            + " secret; removing it after confirming deletes it; the page answers 401 without a token")
    void storedCredentials() throws Exception {
        Chromium.assumeInstalled();
        assertEquals(401, Http.get(realm.url("/connect/credentials"), null).status());
        String alice = realm.alice();
        String secret = "pat-" + java.util.UUID.randomUUID();
        Http.Resp made = Http.sendJson("POST", realm.url("/connect/credentials"), Map.of("connection_id", "ci-token",
                "type", "bearer", "fields", Map.of("token", secret, "base_url", "https://api.example.com")), alice);
        assertEquals(201, made.status(), made::toString);

        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = openSignedIn(driver, "alice");
            WebElement item = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-credential]")));
            assertEquals("ci-token", item.getAttribute("data-connection-id"));
            assertTrue(item.getText().contains("Access token"), item::getText);
            assertTrue(item.getText().contains("https://api.example.com"), item::getText);
            assertEquals("unknown", item.findElement(By.cssSelector("[data-testid=kcc-health]")).getAttribute("data-status"));
            assertFalse(driver.getPageSource().contains(secret), "the secret is never on the page");
            Chromium.screenshot(driver, "account-stored-credentials");

            item.findElement(By.cssSelector("[data-testid=kcc-remove-credential]")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=kcc-remove-credential-dialog-confirm]"))).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-testid=kcc-credential]")));
        } finally {
            driver.quit();
        }
        assertEquals(404, Http.get(realm.url("/connect/credentials/ci-token"), alice).status());
        assertEquals(0, Http.get(realm.url("/connect/credentials"), alice).json().get("credentials").size());
    }

    private static boolean introspect(String token) {
        Http.Resp r = Http.postForm(TestServer.baseUrl() + UPSTREAM + "/protocol/openid-connect/token/introspect",
                Map.of("token", token, "client_id", "upstream-api", "client_secret", "upstream-api-secret"), null);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("active").asBoolean();
    }

    /** The upstream person's sessions (online and offline) that hold a client session of the connect client. */
    private int upstreamClientSessions(String username) {
        String admin = "/" + TestServer.UPSTREAM_REALM;
        String userId = realm.admin().get(admin + "/users?exact=true&username=" + username).json().get(0).get("id").asText();
        String clientUuid = realm.admin().get(admin + "/clients?clientId=" + TestServer.UPSTREAM_CLIENT).json().get(0).get("id").asText();
        int n = 0;
        for (JsonNode s : realm.admin().get(admin + "/users/" + userId + "/sessions").json()) {
            n += s.path("clients").has(clientUuid) ? 1 : 0;
        }
        n += realm.admin().get(admin + "/users/" + userId + "/offline-sessions/" + clientUuid).json().size();
        return n;
    }

    /** Opens the Connected services page and signs in at the realm's login page as {@code user} (password = name). */
    private WebDriverWait openSignedIn(WebDriver driver, String user) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        driver.get(realm.url("/account/connected-services"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(user);
        driver.findElement(By.id("kc-login")).click();
        return wait;
    }
}
