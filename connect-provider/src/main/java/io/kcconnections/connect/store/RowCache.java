package io.kcconnections.connect.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.keycloak.models.KeycloakSession;

/**
 * The node's cache of connection rows for token reads, as stored (tokens stay ciphertexts: nothing here is
 * plaintext). A read that finds its rows here skips the database. Every write to a row invalidates it on this node
 * when its transaction commits and, through Keycloak's cluster notifications, on every other node, before the writing
 * request answers; entries also expire after the configured time, which bounds any staleness a lost notification
 * could cause.
 * <p>
 * A read fills an entry only if no invalidation at all happened since it began reading the database (one generation
 * counter for the node), so a row read before a concurrent write committed can never be put back after that write's
 * invalidation. Misses are not cached.
 */
public final class RowCache {

    /** Invalidates everything (bulk deletes). */
    static final String ALL = "*";

    private static volatile RowCache instance = new RowCache(0, 0);
    private static volatile BiConsumer<KeycloakSession, Collection<String>> broadcaster = (s, c) -> { };

    private record Entry(List<Connection> rows, long expiresAt) {
    }

    private final long ttlMillis;
    private final int maxEntries;
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> keysByRow = new ConcurrentHashMap<>();

    private RowCache(long ttlMillis, int maxEntries) {
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
    }

    /** Sets the node's cache: entries live {@code ttlMillis} (0 turns the cache off), at most {@code maxEntries}. */
    public static void configure(long ttlMillis, int maxEntries) {
        instance = new RowCache(ttlMillis, maxEntries);
    }

    /**
     * How invalidations reach the other nodes: given the committing session and the invalidated rows and keys (the
     * root package wires Keycloak's cluster provider here; this node's own cache is invalidated before it is called).
     */
    public static void broadcastWith(BiConsumer<KeycloakSession, Collection<String>> b) {
        broadcaster = b;
    }

    /** Invalidations from another node (or this one, through the cluster). */
    public static void invalidated(Collection<String> what) {
        instance.invalidate(what);
    }

    static RowCache get() {
        return instance;
    }

    static void committed(KeycloakSession session, Collection<String> what) {
        instance.invalidate(what);
        broadcaster.accept(session, what);
    }

    boolean enabled() {
        return ttlMillis > 0;
    }

    long generation() {
        return generation.get();
    }

    /** The rows cached under {@code key}, or null. */
    List<Connection> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (e.expiresAt < System.currentTimeMillis()) {
            remove(key);
            return null;
        }
        return e.rows;
    }

    /** Caches rows read from the database, unless anything was invalidated since {@code readGeneration}. */
    synchronized void put(String key, List<Connection> rows, long readGeneration) {
        if (!enabled() || rows.isEmpty() || generation.get() != readGeneration) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
            keysByRow.clear();
        }
        entries.put(key, new Entry(List.copyOf(rows), System.currentTimeMillis() + ttlMillis));
        for (Connection c : rows) {
            keysByRow.computeIfAbsent(c.id(), k -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    /** Drops what the given row ids and keys name ({@link #ALL}: everything), and refuses fills begun before. */
    synchronized void invalidate(Collection<String> what) {
        generation.incrementAndGet();
        for (String w : what) {
            if (ALL.equals(w)) {
                entries.clear();
                keysByRow.clear();
                return;
            }
            Set<String> keys = keysByRow.remove(w);
            if (keys != null) {
                keys.forEach(this::remove);
            }
            remove(w);
        }
    }

    private void remove(String key) {
        Entry e = entries.remove(key);
        if (e != null) {
            for (Connection c : e.rows) {
                Set<String> keys = keysByRow.get(c.id());
                if (keys != null) {
                    keys.remove(key);
                }
            }
        }
    }

    /** The key of a token read's lookup: one provider's connection, or every provider's with that id ({@code *}). */
    static String key(String realmId, String provider, String connectionId) {
        return realmId + "|" + (provider == null ? ALL : provider) + "|" + connectionId;
    }
}
