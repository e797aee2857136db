package io.kcconnections.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A headless Chromium (Debian's chromium and chromium-driver) for tests that need a real browser. */
public final class Chromium {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** Skips the test, saying why, where no browser is installed (.ci/run installs one). */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromedriver are not installed (apt-get install chromium chromium-driver; .ci/run does)");
    }

    /** A fresh browser with its own profile (no cookies). */
    public static WebDriver start() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + work().toAbsolutePath().resolve("chrome-" + UUID.randomUUID()));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(work().resolve("chromedriver.log").toFile()).withVerbose(true).build();
        return new ChromeDriver(service, o);
    }

    /** Saves what the browser shows as {@code target/screenshots/NAME.png}; returns the file. */
    public static Path screenshot(WebDriver driver, String name) throws Exception {
        Path dir = work().resolve("screenshots");
        Files.createDirectories(dir);
        Path shot = dir.resolve(name + ".png");
        Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return shot;
    }

    private static Path work() {
        return Path.of(KeycloakServer.prop("kc.work", "target"));
    }
}
