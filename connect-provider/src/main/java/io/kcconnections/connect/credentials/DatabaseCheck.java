package io.kcconnections.connect.credentials;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kcconnections.connect.net.HostPolicy;

/**
 * The check of a database account: connect with a JDBC driver Keycloak ships (PostgreSQL, MariaDB, MySQL, SQL Server;
 * Oracle when its driver was added) and run {@code SELECT 1}. The JDBC URL is built from the checked parts (host held
 * to the host policy, database name to a safe pattern, user and password as driver properties), never taken from
 * input, so no URL parameter can be smuggled in; H2 and other embedded dialects are not offered. One deadline covers
 * connect, login and query.
 *
 * <p>TLS ({@code tls}): {@code verify-full} (the default) encrypts and verifies the server's certificate chain against
 * the JVM's trust store (which Keycloak's {@code truststore-paths} feeds) and its name against the host; {@code require}
 * encrypts without checking who answers (servers with self-signed certificates; Oracle still checks the chain);
 * {@code disable} sends in the clear. Without a name to verify, the checked address itself is dialled, so the host
 * cannot be re-resolved to another address between the check and the connect.
 */
final class DatabaseCheck {

    /** Database names: letters, digits and {@code _ $ . -}; nothing a JDBC URL would read as a parameter. */
    static final String DATABASE_NAME = "[A-Za-z0-9_$.-]{1,128}";

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kc-connect-db-check");
        t.setDaemon(true);
        return t;
    });

    private final HostPolicy policy;
    private final long deadlineMillis;

    DatabaseCheck(HostPolicy policy, long deadlineMillis) {
        this.policy = policy;
        this.deadlineMillis = deadlineMillis;
    }

    CheckResult run(Map<String, String> fields, Map<String, String> secrets) {
        String dialect = fields.get("dialect");
        if (!fields.getOrDefault("database", "").matches(DATABASE_NAME)) {
            return CheckResult.fail("invalid", "database name is not allowed");
        }
        InetAddress address;
        try {
            address = Addresses.checked(policy, fields.get("host"));
        } catch (Addresses.Refused e) {
            return CheckResult.fail("refused_address", e.getMessage());
        } catch (UnknownHostException e) {
            return CheckResult.fail("unreachable", "the host does not resolve");
        }
        Driver driver = Drivers.load(dialect);
        if (driver == null) {
            return CheckResult.fail("driver_unavailable", "no JDBC driver for " + dialect + " on this server");
        }
        Tls tls = Tls.of(fields.get("tls"));
        // The checked address is dialled, unless the certificate's name is verified against the host.
        String host = tls == Tls.VERIFY_FULL ? fields.get("host") : literal(address);
        String url = url(dialect, tls, host, fields.get("port"), fields.get("database"));
        Properties props = properties(dialect, tls, fields.get("username"), secrets.get("password"));
        Future<CheckResult> f = THREADS.submit(() -> query(driver, url, props, dialect));
        try {
            return f.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return CheckResult.fail("timeout", "no answer within the deadline");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail("timeout", "interrupted");
        } catch (ExecutionException e) {
            return CheckResult.fail("unreachable", e.getCause().getClass().getSimpleName());
        }
    }

    private static CheckResult query(Driver driver, String url, Properties props, String dialect) {
        try (Connection c = driver.connect(url, props)) {
            if (c == null) {
                return CheckResult.fail("driver_unavailable", "the driver does not take the URL");
            }
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(10);
                s.execute("oracle".equals(dialect) ? "SELECT 1 FROM DUAL" : "SELECT 1");
            }
            return CheckResult.OK;
        } catch (SQLTimeoutException e) {
            return CheckResult.fail("timeout", "SQLState " + e.getSQLState());
        } catch (SQLException e) {
            // The SQLState, never the message (drivers put user names and sometimes URLs in it).
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            boolean auth = state.startsWith("28") || e.getErrorCode() == 1045 || e.getErrorCode() == 18456;
            return CheckResult.fail(auth ? "auth_failed" : state.startsWith("08") ? "unreachable" : "query_failed",
                    "SQLState " + (state.isEmpty() ? "unknown" : state));
        }
    }

    /** The {@code tls} field's modes. */
    enum Tls {
        VERIFY_FULL, REQUIRE, DISABLE;

        /** The mode a field value names; an absent value is {@code verify-full}. */
        static Tls of(String value) {
            return value == null ? VERIFY_FULL : valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        boolean on() {
            return this != DISABLE;
        }
    }

    static String url(String dialect, Tls tls, String host, String port, String database) {
        return switch (dialect) {
            case "postgresql" -> "jdbc:postgresql://" + host + ":" + port + "/" + database;
            case "mariadb" -> "jdbc:mariadb://" + host + ":" + port + "/" + database;
            case "mysql" -> "jdbc:mysql://" + host + ":" + port + "/" + database;
            case "mssql" -> "jdbc:sqlserver://" + host + ":" + port + ";databaseName=" + database;
            case "oracle" -> "jdbc:oracle:thin:@" + (tls.on() ? "tcps" : "tcp") + "://" + host + ":" + port + "/" + database;
            default -> throw new IllegalArgumentException("dialect");
        };
    }

    static Properties properties(String dialect, Tls tls, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        switch (dialect) {
            case "postgresql" -> {
                p.setProperty("sslmode", tls == Tls.VERIFY_FULL ? "verify-full" : tls.on() ? "require" : "disable");
                if (tls.on()) {
                    // The JVM's trust store, not libpq's ~/.postgresql/root.crt.
                    p.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
                }
                p.setProperty("connectTimeout", "10");
                p.setProperty("socketTimeout", "15");
                p.setProperty("loginTimeout", "10");
            }
            case "mariadb" -> {
                p.setProperty("sslMode", tls == Tls.VERIFY_FULL ? "verify-full" : tls.on() ? "trust" : "disable");
                p.setProperty("connectTimeout", "10000");
                p.setProperty("socketTimeout", "15000");
            }
            case "mysql" -> {
                p.setProperty("sslMode", tls == Tls.VERIFY_FULL ? "VERIFY_IDENTITY" : tls.on() ? "REQUIRED" : "DISABLED");
                p.setProperty("connectTimeout", "10000");
                p.setProperty("socketTimeout", "15000");
            }
            case "mssql" -> {
                p.setProperty("encrypt", String.valueOf(tls.on()));
                p.setProperty("trustServerCertificate", String.valueOf(tls == Tls.REQUIRE));
                p.setProperty("loginTimeout", "10");
            }
            default -> {
                p.setProperty("oracle.net.ssl_server_dn_match", String.valueOf(tls == Tls.VERIFY_FULL));
                p.setProperty("oracle.net.CONNECT_TIMEOUT", "10000");
                p.setProperty("oracle.jdbc.ReadTimeout", "15000");
            }
        }
        return p;
    }

    private static String literal(InetAddress a) {
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
