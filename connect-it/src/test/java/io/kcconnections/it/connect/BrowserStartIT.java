package io.kcconnections.it.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.kcconnections.it.harness.Chromium;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start page as a person sees it, in a real Chromium: Keycloak's login first, then the other-account page. */
class BrowserStartIT {

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("in Chromium: alice's start URL shows the realm's login; signed in as bob, the other-account page; a bad link, the invalid-link page")
    void startPagesInARealBrowser() throws Exception {
        Chromium.assumeInstalled();
        Http.Resp r = Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak", "connection_id", "shown",
                "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(200, r.status(), r::toString);
        String url = r.json().get("authorize_url").asText();
        WebDriver driver = Chromium.start();
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            driver.get(url);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
            assertTrue(driver.getCurrentUrl().contains("/realms/" + realm.name + "/"), driver.getCurrentUrl());
            Path login = Chromium.screenshot(driver, "connect-start-login");
            assertTrue(Files.size(login) > 1000);

            driver.findElement(By.id("username")).sendKeys("bob");
            driver.findElement(By.id("password")).sendKeys("bob");
            driver.findElement(By.id("kc-login")).click();
            wait.until(d -> d.getPageSource().contains("made for another account"));
            assertTrue(driver.getCurrentUrl().startsWith(url), "still on the start page: " + driver.getCurrentUrl());
            Chromium.screenshot(driver, "connect-start-other-account");

            driver.get(realm.url("/connect/start/" + "A".repeat(43)));
            wait.until(d -> d.getPageSource().contains("invalid, expired or already used"));
            Chromium.screenshot(driver, "connect-start-invalid-link");
        } finally {
            driver.quit();
        }
        assertEquals(0, Db.count(realm.name), "nothing stored");
    }
}
