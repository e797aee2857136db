package io.kcconnections.it.connect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Chromium;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin console's Connections pages (admin theme kc-connections, which the demo realm and so every test realm
 * uses) in a real Chromium, signed in as an admin of the test realm: enabling a provider from the catalog (refused
 * first, nothing stored), the realm's connections with filters, a user's Connections tab, and revoking there.
 */
class AdminConsoleIT {

    private static final String SECRET = "gh-secret-" + UUID.randomUUID();

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("the realm's admin console is the kc-connections build; GET /connect/catalog needs an admin (401, 403"
            + " without view-realm) and searches by name and category")
    void consoleAndCatalogApi() {
        Http.Resp page = Http.get(TestServer.baseUrl() + "/admin/" + realm.name + "/console/", null);
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("/admin/kc-connections/assets/main-"), "the theme's entry script: " + page.body());

        String catalog = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/connect/catalog";
        assertEquals(401, Http.get(catalog, null).status());
        realm.realmAdmin("no-roles");
        assertEquals(403, Http.get(catalog, adminToken("no-roles")).status());
        realm.realmAdmin("viewer", "view-realm");
        String viewer = adminToken("viewer");
        JsonNode all = Http.get(catalog, viewer).json().get("providers");
        assertTrue(all.size() > 50, "the whole catalog: " + all.size());
        JsonNode gh = Http.get(catalog + "?q=GitHub", viewer).json().get("providers");
        assertEquals(1, gh.size(), gh::toString);
        assertEquals("github", gh.get(0).get("name").asText());
        assertTrue(gh.get(0).get("loginCapable").asBoolean());
        assertFalse(gh.get(0).toString().toLowerCase().contains("secret"), "no credentials in a template: " + gh);
        JsonNode crm = Http.get(catalog + "?category=CRM", viewer).json().get("providers");
        assertTrue(crm.size() > 0);
        crm.forEach(e -> assertEquals("crm", e.get("category").asText()));
        assertEquals(0, Http.get(catalog + "?q=%3Cscript%3E", viewer).json().get("providers").size());
    }

    @Test
    @DisplayName("in Chromium: an admin finds GitHub in the catalog, saving it without a client id is refused with the"
            + " reason and stores nothing, with client id and secret it is enabled (secret never shown back) and listed")
    void adminEnablesAProvider() throws Exception {
        Chromium.assumeInstalled();
        realm.realmAdmin("ops", "realm-admin");
        String api = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/connect/providers/github";
        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = signIn(driver, "ops");
            click(wait, "[data-testid=nav-item-connect-providers]");
            WebElement search = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=kcc-provider-search] input")));
            search.sendKeys("GitHub");
            WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-provider-github]")));
            assertTrue(row.getText().contains("Not configured"), row.getText());
            assertEquals(1, driver.findElements(By.cssSelector("[data-testid^=kcc-provider-]:not([data-testid=kcc-provider-search])")).size(),
                    "the search leaves GitHub alone");
            row.findElement(By.linkText("Enable")).click();

            WebElement save = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=kcc-save]")));
            save.click();
            WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-problems]")));
            assertTrue(refused.getText().toLowerCase().contains("client"), "the server's reason: " + refused.getText());
            Chromium.screenshot(driver, "admin-provider-refused");
            assertEquals(404, Http.get(api, adminToken("ops")).status(), "nothing stored");

            driver.findElement(By.id("kcc-client-id")).sendKeys("gh-client");
            driver.findElement(By.id("kcc-client-secret")).sendKeys(SecretLedger.note(SECRET));
            driver.findElement(By.id("kcc-scopes")).sendKeys("read:user repo");
            save.click();
            wait.until(d -> d.getPageSource().contains("GitHub is saved."));
            assertFalse(driver.getPageSource().contains(SECRET), "the secret is not shown back");
            assertEquals("**********", driver.findElement(By.id("kcc-client-secret")).getAttribute("value"));
            Chromium.screenshot(driver, "admin-provider-form");

            JsonNode stored = Http.get(api, adminToken("ops")).json();
            assertEquals("gh-client", stored.get("clientId").asText(), stored::toString);
            assertTrue(stored.get("clientSecretSet").asBoolean());
            assertEquals("ok", stored.get("status").asText(), stored::toString);
            assertEquals(Set.of("read:user", "repo"), Set.copyOf(Http.JSON.convertValue(stored.get("scopes"),
                    List.class)), stored::toString);
            assertFalse(stored.toString().contains(SECRET));

            click(wait, "[data-testid=nav-item-connect-providers]");
            WebElement listed = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-provider-github]")));
            wait.until(d -> listed.getText().contains("Enabled"));
            Chromium.screenshot(driver, "admin-providers");
        } finally {
            driver.quit();
        }
    }

    @Test
    @DisplayName("in Chromium: the admin filters the realm's connections by provider and status, opens alice's"
            + " Connections tab from Keycloak's user page, revokes hers (gone, and revoked at the upstream); bob's stays;"
            + " her stored credential is listed there without its secret and deleted")
    void adminRevokesAConnection() throws Exception {
        Chromium.assumeInstalled();
        String[] upstreamPerson = realm.upstreamUser();
        assertEquals("true", Http.queryParam(Connect.connect(realm, realm.alice(), "keycloak", "alice-up", upstreamPerson), "success"));
        assertEquals("true", Http.queryParam(Connect.connect(realm, realm.bob(), "keycloak", "bob-up", realm.upstreamUser()), "success"));
        String reader = realm.serviceToken("demo-backend", "demo-backend-secret");
        String upstreamToken = SecretLedger.note(Connect.token(realm, reader, "alice-up", "keycloak").json().get("token").asText());
        assertTrue(introspect(upstreamToken), "active at the upstream before");
        String aliceId = realm.admin().get("/" + realm.name + "/users?exact=true&username=alice").json().get(0).get("id").asText();
        realm.realmAdmin("ops", "realm-admin");
        String secret = SecretLedger.note("key-" + java.util.UUID.randomUUID());
        Http.Resp stored = realm.admin().post("/" + realm.name + "/connect/users/" + aliceId + "/credentials", Map.of(
                "connection_id", "ops-key", "type", "api_key", "fields", Map.of("api_key", secret,
                        "base_url", "https://api.example.com", "header", "X-Api-Key")));
        assertEquals(201, stored.status(), stored::toString);

        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = signIn(driver, "ops");
            click(wait, "[data-testid=nav-item-connect-connections]");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-connection-alice-up]")));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-connection-bob-up]")));
            new Select(driver.findElement(By.cssSelector("[data-testid=kcc-status-filter]"))).selectByValue("needs_reauth");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-no-connections]")));
            new Select(driver.findElement(By.cssSelector("[data-testid=kcc-status-filter]"))).selectByValue("active");
            new Select(driver.findElement(By.cssSelector("[data-testid=kcc-provider-filter]"))).selectByValue("keycloak");
            WebElement alice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-connection-alice-up]")));
            assertTrue(alice.getText().contains("alice"), alice.getText());
            assertTrue(alice.getText().contains("Active"), alice.getText());
            assertTrue(alice.getText().contains("demo-app"), "the app that made it: " + alice.getText());
            Chromium.screenshot(driver, "admin-connections");

            // Keycloak's own user page carries a Connections tab that leads to hers.
            driver.get(TestServer.baseUrl() + "/admin/" + realm.name + "/console/#/" + realm.name + "/users/" + aliceId + "/settings");
            click(wait, "[data-testid=user-connections-tab]");
            wait.until(ExpectedConditions.urlContains("/users/" + aliceId + "/connections"));
            WebElement hers = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-connection-alice-up]")));
            assertTrue(driver.findElements(By.cssSelector("[data-testid=kcc-connection-bob-up]")).isEmpty(), "only hers");
            Chromium.screenshot(driver, "admin-user-connections");

            hers.findElement(By.cssSelector("[data-testid=kcc-revoke-alice-up]")).click();
            WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=dialog]")));
            assertTrue(dialog.getText().contains("Revoke connection alice-up?"), dialog.getText());
            click(wait, "[data-testid=kcc-revoke-confirm]");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-no-connections]")));
            wait.until(d -> d.getPageSource().contains("Connection alice-up is revoked."));

            WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=kcc-credential-ops-key]")));
            assertTrue(key.getText().contains("api_key") && key.getText().contains("https://api.example.com"), key.getText());
            assertFalse(driver.getPageSource().contains(secret), "never a secret on the page");
            click(wait, "[data-testid=kcc-remove-credential-ops-key]");
            click(wait, "[data-testid=kcc-remove-credential-confirm]");
            wait.until(d -> d.getPageSource().contains("Credential ops-key is deleted."));
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-testid=kcc-credential-ops-key]")));
        } finally {
            driver.quit();
        }
        assertEquals(0, Http.get(realm.url("/connect/connections"), realm.alice()).json().get("connections").size());
        assertFalse(introspect(upstreamToken), "revoked at the upstream");
        assertEquals(1, Http.get(realm.url("/connect/connections"), realm.bob()).json().get("connections").size(), "bob's stays");
        assertEquals(0, Http.get(realm.url("/connect/credentials"), realm.alice()).json().get("credentials").size(), "deleted");
    }

    @Test
    @DisplayName("in Chromium: an admin with view-realm only sees Providers but not Connections, and the Connections page"
            + " says which role it needs instead of listing anything")
    void viewRealmAloneSeesNoConnections() throws Exception {
        Chromium.assumeInstalled();
        assertEquals("true", Http.queryParam(Connect.connect(realm, realm.alice(), "keycloak", "alice-up", realm.upstreamUser()), "success"));
        realm.realmAdmin("viewer", "view-realm");
        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = signIn(driver, "viewer");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=nav-item-connect-providers]")));
            assertTrue(driver.findElements(By.cssSelector("[data-testid=nav-item-connect-connections]")).isEmpty());
            driver.get(TestServer.baseUrl() + "/admin/" + realm.name + "/console/#/" + realm.name + "/connect/connections");
            wait.until(d -> d.getPageSource().contains("view-users"));
            assertTrue(driver.findElements(By.cssSelector("[data-testid=kcc-connection-alice-up]")).isEmpty());
        } finally {
            driver.quit();
        }
    }

    private static void click(WebDriverWait wait, String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Opens the realm's admin console and signs in at the realm's login page (password = username). */
    private WebDriverWait signIn(WebDriver driver, String user) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        driver.get(TestServer.baseUrl() + "/admin/" + realm.name + "/console/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(user);
        driver.findElement(By.id("kc-login")).click();
        return wait;
    }

    private String adminToken(String user) {
        Http.Resp t = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", user, "password", user), null);
        assertEquals(200, t.status(), t::toString);
        return SecretLedger.note(t.json().get("access_token").asText());
    }

    private static boolean introspect(String token) {
        Http.Resp r = Http.postForm(TestServer.baseUrl() + "/realms/" + TestServer.UPSTREAM_REALM
                        + "/protocol/openid-connect/token/introspect",
                Map.of("token", token, "client_id", "upstream-api", "client_secret", "upstream-api-secret"), null);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("active").asBoolean();
    }
}
