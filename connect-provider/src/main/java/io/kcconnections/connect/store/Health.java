package io.kcconnections.connect.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The health of connections and credentials, one row each (keyed by their row id), and the prober's claims on them.
 * Status: {@code unknown} (never checked), {@code healthy}, {@code unhealthy} (after several failures in a row).
 */
public interface Health {

    /** What a connection's or credential's health row says. */
    record State(String id, String realmId, String kind, String status, int failures, Long lastCheckAt, Long lastOkAt,
                 String lastError, long nextCheckAt) {
    }

    String CONNECTION = "connection";
    String CREDENTIAL = "credential";

    /** Adds a row for a new credential, due at {@code nextCheckAt}. */
    void track(String id, String realmId, String kind, long nextCheckAt);

    /** Adds rows for active connections that have none; how many. */
    int seedConnections(long nextCheckAt);

    /** Locks due rows ({@code SKIP LOCKED}), leases them to {@code owner} and moves their next check to {@code nextCheckAt}. */
    List<State> claimDue(String owner, long now, long nextCheckAt, int limit);

    /** Claims a realm's rows whether due or not ({@code SKIP LOCKED}), for a probe an admin asked for. */
    List<State> claimRealm(String realmId, String owner, long nextCheckAt, int limit);

    /** Claims one row now (an on-demand check); null when another claim holds it or there is none. */
    State claim(String id, String owner, long nextCheckAt);

    /**
     * Writes a check's outcome if {@code owner} still holds the row: the new status, failures, last error (null on
     * success). Answers the state before, or null when the row moved on.
     */
    State complete(String id, String owner, String status, int failures, String lastError, long now);

    Map<String, State> byIds(Collection<String> ids);

    /** Counts per kind and status in a realm. */
    Map<String, Map<String, Long>> summary(String realmId);

    List<State> unhealthy(String realmId, int max);

    boolean forget(String id);

    void deleteByRealm(String realmId);
}
