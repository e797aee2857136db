package io.kcconnections.connect.credentials;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
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
        boolean tls = !"disable".equals(fields.getOrDefault("tls", "require"));
        // The checked address is dialled, unless TLS needs the name for the certificate.
        String host = tls ? fields.get("host") : literal(address);
        String url = url(dialect, host, fields.get("port"), fields.get("database"));
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

    static String url(String dialect, String host, String port, String database) {
        return switch (dialect) {
            case "postgresql" -> "jdbc:postgresql://" + host + ":" + port + "/" + database;
            case "mariadb" -> "jdbc:mariadb://" + host + ":" + port + "/" + database;
            case "mysql" -> "jdbc:mysql://" + host + ":" + port + "/" + database;
            case "mssql" -> "jdbc:sqlserver://" + host + ":" + port + ";databaseName=" + database;
            case "oracle" -> "jdbc:oracle:thin:@//" + host + ":" + port + "/" + database;
            default -> throw new IllegalArgumentException("dialect");
        };
    }

    static Properties properties(String dialect, boolean tls, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        switch (dialect) {
            case "postgresql" -> {
                p.setProperty("sslmode", tls ? "require" : "disable");
                p.setProperty("connectTimeout", "10");
                p.setProperty("socketTimeout", "15");
                p.setProperty("loginTimeout", "10");
            }
            case "mariadb" -> {
                p.setProperty("sslMode", tls ? "trust" : "disable");
                p.setProperty("connectTimeout", "10000");
                p.setProperty("socketTimeout", "15000");
            }
            case "mysql" -> {
                p.setProperty("sslMode", tls ? "REQUIRED" : "DISABLED");
                p.setProperty("connectTimeout", "10000");
                p.setProperty("socketTimeout", "15000");
            }
            case "mssql" -> {
                p.setProperty("encrypt", String.valueOf(tls));
                p.setProperty("loginTimeout", "10");
            }
            default -> {
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
