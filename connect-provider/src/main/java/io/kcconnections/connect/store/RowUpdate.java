package io.kcconnections.connect.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;

/**
 * One conditional UPDATE of a connection row, the only way this package changes one. The condition says whose write
 * may land (the lease owner, the status it expects, the version it read), so concurrent writers on any node never
 * overwrite each other silently. {@link #versioned(long)} stamps {@code updatedAt} and bumps {@code version}.
 */
final class RowUpdate {

    private final EntityManager em;
    private final RowChanges changes;
    private final String id;
    private final List<String> sets = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    private RowUpdate(EntityManager em, RowChanges changes, String id) {
        this.em = em;
        this.changes = changes;
        this.id = id;
    }

    /** @param changes the session's changes, told of the row when the update runs (null: nothing is cached) */
    static RowUpdate of(EntityManager em, RowChanges changes, String id) {
        return new RowUpdate(em, changes, id).where("id", id);
    }

    RowUpdate set(String field, Object value) {
        if (value == null) {
            sets.add("c." + field + " = null");
        } else {
            String p = param(value);
            sets.add("c." + field + " = :" + p);
        }
        return this;
    }

    RowUpdate clear(String... fields) {
        for (String f : fields) {
            sets.add("c." + f + " = null");
        }
        return this;
    }

    /** Sets every column a token response writes, the refresh token included (null clears it). */
    RowUpdate tokens(TokenColumns t) {
        return set("refreshToken", t.refreshTokenCiphertext()).tokenColumnsButRefresh(t);
    }

    /** Like {@link #tokens}, but a null refresh-token ciphertext keeps the stored one (a refresh without rotation). */
    RowUpdate tokensKeepingRefresh(TokenColumns t) {
        if (t.refreshTokenCiphertext() != null) {
            set("refreshToken", t.refreshTokenCiphertext());
        }
        return tokenColumnsButRefresh(t);
    }

    private RowUpdate tokenColumnsButRefresh(TokenColumns t) {
        return set("accessToken", t.accessTokenCiphertext()).set("rawToken", t.rawTokenCiphertext()).set("keyId", t.keyId())
                .set("tokenType", t.tokenType()).set("scopes", Rows.joinScopes(t.scopes()))
                .set("metadata", Rows.writeMetadata(t.metadata())).set("expiresAt", t.expiresAt())
                .set("refreshAt", t.refreshAt());
    }

    /** Frees the lease. */
    RowUpdate releaseLease() {
        return clear("leaseOwner", "leaseUntil");
    }

    /** Stamps the write: {@code updatedAt} and a new version. */
    RowUpdate versioned(long now) {
        set("updatedAt", now);
        sets.add("c.version = c.version + 1");
        return this;
    }

    /** Bumps the version only (lease changes, which are not user-visible updates). */
    RowUpdate bumpVersion() {
        sets.add("c.version = c.version + 1");
        return this;
    }

    RowUpdate where(String field, Object value) {
        conditions.add("c." + field + " = :" + param(value));
        return this;
    }

    /** Held by {@code owner}. */
    RowUpdate leasedBy(String owner) {
        return where("leaseOwner", owner);
    }

    /** No unexpired lease at {@code now}. */
    RowUpdate unleasedAt(long now) {
        conditions.add("(c.leaseUntil is null or c.leaseUntil < :" + param(now) + ")");
        return this;
    }

    RowUpdate whereStatus(ConnectionStatus s) {
        return where("status", s.id());
    }

    RowUpdate whereStatusNot(ConnectionStatus... statuses) {
        List<String> ps = new ArrayList<>();
        for (ConnectionStatus s : statuses) {
            ps.add(":" + param(s.id()));
        }
        conditions.add("c.status not in (" + String.join(", ", ps) + ")");
        return this;
    }

    /** A raw condition on {@code c} with one parameter, written as {@code ?} in the clause. */
    RowUpdate whereClause(String clause, Object value) {
        conditions.add(clause.replace("?", ":" + param(value)));
        return this;
    }

    /** The statement as written (for tests: every column is set once). */
    String jpql() {
        return "update ConnectConnection c set " + String.join(", ", sets) + " where " + String.join(" and ", conditions);
    }

    /** @return the number of rows changed (0 or 1) */
    int run() {
        if (changes != null) {
            changes.row(id);
        }
        var q = em.createQuery(jpql());
        params.forEach(q::setParameter);
        return q.executeUpdate();
    }

    boolean ran() {
        return run() == 1;
    }

    private String param(Object value) {
        String p = "p" + params.size();
        params.put(p, value);
        return p;
    }
}
