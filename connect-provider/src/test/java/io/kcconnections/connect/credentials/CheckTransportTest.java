package io.kcconnections.connect.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import io.kcconnections.connect.credentials.DatabaseCheck.Tls;
import io.kcconnections.connect.net.HostPolicy;
import org.junit.jupiter.api.Test;

/** How the SMTP and database checks talk to a server: TLS settings per driver, and bounded reads. */
class CheckTransportTest {

    @Test
    void databaseTlsModesPerDriver() {
        Properties pg = DatabaseCheck.properties("postgresql", Tls.of(null), "u", "p");
        assertEquals("verify-full", pg.getProperty("sslmode"), "an absent tls field verifies the server");
        assertEquals("org.postgresql.ssl.DefaultJavaSSLFactory", pg.getProperty("sslfactory"), "the JVM trust store");
        assertEquals("require", DatabaseCheck.properties("postgresql", Tls.of("require"), "u", "p").getProperty("sslmode"));
        Properties pgOff = DatabaseCheck.properties("postgresql", Tls.of("disable"), "u", null);
        assertEquals("disable", pgOff.getProperty("sslmode"));
        assertFalse(pgOff.containsKey("password"));

        assertEquals("verify-full", DatabaseCheck.properties("mariadb", Tls.VERIFY_FULL, "u", "p").getProperty("sslMode"));
        assertEquals("trust", DatabaseCheck.properties("mariadb", Tls.REQUIRE, "u", "p").getProperty("sslMode"));
        assertEquals("VERIFY_IDENTITY", DatabaseCheck.properties("mysql", Tls.VERIFY_FULL, "u", "p").getProperty("sslMode"));
        assertEquals("REQUIRED", DatabaseCheck.properties("mysql", Tls.REQUIRE, "u", "p").getProperty("sslMode"));

        Properties ms = DatabaseCheck.properties("mssql", Tls.VERIFY_FULL, "u", "p");
        assertEquals("true", ms.getProperty("encrypt"));
        assertEquals("false", ms.getProperty("trustServerCertificate"));
        assertEquals("true", DatabaseCheck.properties("mssql", Tls.REQUIRE, "u", "p").getProperty("trustServerCertificate"));
        assertEquals("false", DatabaseCheck.properties("mssql", Tls.DISABLE, "u", "p").getProperty("encrypt"));

        assertEquals("true", DatabaseCheck.properties("oracle", Tls.VERIFY_FULL, "u", "p").getProperty("oracle.net.ssl_server_dn_match"));
        assertTrue(DatabaseCheck.url("oracle", Tls.REQUIRE, "db.example.com", "2484", "ORCL").startsWith("jdbc:oracle:thin:@tcps://"),
                "Oracle's TLS is its tcps protocol");
        assertTrue(DatabaseCheck.url("oracle", Tls.DISABLE, "db.example.com", "1521", "ORCL").startsWith("jdbc:oracle:thin:@tcp://"));
    }

    @Test
    void databaseTlsFieldChoices() {
        assertEquals(Tls.VERIFY_FULL, Tls.of("verify-full"));
        assertEquals(Tls.REQUIRE, Tls.of("require"));
        assertEquals(Tls.DISABLE, Tls.of("disable"));
    }

    @Test
    void smtpLineWithoutEndIsRefusedBeforeItGrows() throws Exception {
        AtomicLong written = new AtomicLong();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("220-".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 8 * 1024; i++) { // up to 64 MiB, never a line end
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // the check hung up, as it should
                }
            });
            t.setDaemon(true);
            t.start();
            CheckResult r = new SmtpCheck(new HostPolicy(true), 10_000).run(
                    Map.of("host", "127.0.0.1", "port", String.valueOf(server.getLocalPort()), "tls", "none"), Map.of());
            assertFalse(r.ok());
            assertTrue(r.toString().contains("smtp_error"), r::toString);
            t.join(5_000);
            assertFalse(t.isAlive());
            assertTrue(written.get() < 32L << 20, "the check hung up long before 64 MiB: " + written.get());
        }
    }

    @Test
    void smtpDripFeedEndsAtTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    for (int i = 0; i < 100; i++) {
                        out.write('2');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // hung up
                }
            });
            t.setDaemon(true);
            t.start();
            long start = System.nanoTime();
            CheckResult r = new SmtpCheck(new HostPolicy(true), 1_000).run(
                    Map.of("host", "127.0.0.1", "port", String.valueOf(server.getLocalPort()), "tls", "none"), Map.of());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(r.toString().contains("timeout"), r::toString);
            assertTrue(millis < 3_000, "one deadline for the whole exchange, not one per byte: " + millis + " ms");
        }
    }
}
