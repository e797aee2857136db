package io.kcconnections.connect.credentials;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The JDBC drivers Keycloak's distribution ships. A server built for one database keeps only that vendor's driver on
 * its class path, so a driver not found there is loaded from the distribution's {@code lib/lib/main} jar in a class
 * loader of its own (once per dialect).
 */
final class Drivers {

    private static final Logger LOG = Logger.getLogger(Drivers.class);

    /** Driver class and the distribution jar's name prefix, per dialect. */
    private static final Map<String, List<String>> KNOWN = Map.of(
            "postgresql", List.of("org.postgresql.Driver", "org.postgresql.postgresql-"),
            "mariadb", List.of("org.mariadb.jdbc.Driver", "org.mariadb.jdbc.mariadb-java-client-"),
            "mysql", List.of("com.mysql.cj.jdbc.Driver", "com.mysql.mysql-connector-j-"),
            "mssql", List.of("com.microsoft.sqlserver.jdbc.SQLServerDriver", "com.microsoft.sqlserver.mssql-jdbc-"),
            "oracle", List.of("oracle.jdbc.OracleDriver", "com.oracle.database.jdbc.ojdbc"));

    private static final Map<String, Driver> LOADED = new ConcurrentHashMap<>();

    private Drivers() {
    }

    /** The dialect's driver, or null when this server has none. */
    static Driver load(String dialect) {
        List<String> known = KNOWN.get(dialect);
        if (known == null) {
            return null;
        }
        Driver cached = LOADED.get(dialect);
        if (cached != null) {
            return cached;
        }
        Driver d = instance(known.get(0), Drivers.class.getClassLoader());
        if (d == null) {
            d = fromDistribution(known.get(0), known.get(1));
        }
        if (d != null) {
            LOADED.put(dialect, d);
        }
        return d;
    }

    private static Driver instance(String className, ClassLoader cl) {
        try {
            return (Driver) Class.forName(className, true, cl).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null;
        }
    }

    @SuppressWarnings("resource")
    private static Driver fromDistribution(String className, String jarPrefix) {
        String home = System.getProperty("kc.home.dir");
        if (home == null) {
            return null;
        }
        Path dir = Path.of(home, "lib", "lib", "main");
        try (Stream<Path> files = Files.list(dir)) {
            URL[] jars = files.filter(f -> f.getFileName().toString().startsWith(jarPrefix)).map(Drivers::url)
                    .toArray(URL[]::new);
            if (jars.length == 0) {
                return null;
            }
            return instance(className, new URLClassLoader("kc-connect-jdbc", jars, ClassLoader.getPlatformClassLoader()));
        } catch (IOException | RuntimeException e) {
            LOG.debugf("no %s in %s: %s", className, dir, e.getClass().getSimpleName());
            return null;
        }
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
