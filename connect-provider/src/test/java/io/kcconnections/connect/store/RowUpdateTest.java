package io.kcconnections.connect.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conditional updates the store writes: each column set once, the version bumped, the condition kept. */
class RowUpdateTest {

    private static final TokenColumns WITH_REFRESH = new TokenColumns("a", "r", "raw", "k1", "Bearer", List.of("x"),
            Map.of("m", "v"), 1L, 2L);
    private static final TokenColumns WITHOUT_REFRESH = new TokenColumns("a", null, "raw", "k1", "Bearer", List.of(),
            Map.of(), 1L, 2L);

    private static List<String> setColumns(String jpql) {
        String sets = jpql.substring(jpql.indexOf(" set ") + 5, jpql.indexOf(" where "));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("c\\.(\\w+) =").matcher(sets);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static void eachColumnOnce(String jpql) {
        List<String> cols = setColumns(jpql);
        Set<String> unique = new HashSet<>(cols);
        assertEquals(unique.size(), cols.size(), () -> "a column set twice: " + jpql);
    }

    @Test
    void tokensSetEveryTokenColumnOnceAndClearAMissingRefreshToken() {
        String with = RowUpdate.of(null, null, "id").tokens(WITH_REFRESH).versioned(5).jpql();
        eachColumnOnce(with);
        assertTrue(setColumns(with).containsAll(List.of("accessToken", "refreshToken", "rawToken", "keyId", "tokenType",
                "scopes", "metadata", "expiresAt", "refreshAt", "updatedAt", "version")), with);
        String without = RowUpdate.of(null, null, "id").tokens(WITHOUT_REFRESH).jpql();
        eachColumnOnce(without);
        assertTrue(without.contains("c.refreshToken = null"), without);
    }

    @Test
    void aRefreshWithoutRotationKeepsTheStoredRefreshToken() {
        String kept = RowUpdate.of(null, null, "id").tokensKeepingRefresh(WITHOUT_REFRESH).leasedBy("me").jpql();
        eachColumnOnce(kept);
        assertFalse(setColumns(kept).contains("refreshToken"), kept);
        String rotated = RowUpdate.of(null, null, "id").tokensKeepingRefresh(WITH_REFRESH).leasedBy("me").jpql();
        eachColumnOnce(rotated);
        assertTrue(setColumns(rotated).contains("refreshToken"), rotated);
        assertTrue(rotated.matches(".* where c.id = :p0 and c.leaseOwner = :p\\d+"), rotated);
    }

    @Test
    void conditionsAndClears() {
        String q = RowUpdate.of(null, null, "id").clear("statusReason", "lastErrorAt").releaseLease().bumpVersion()
                .unleasedAt(7).whereStatusNot(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED)
                .whereClause("c.refreshAt <= ?", 9L).jpql();
        eachColumnOnce(q);
        assertTrue(q.contains("c.version = c.version + 1"), q);
        assertTrue(q.contains("(c.leaseUntil is null or c.leaseUntil < :p1)"), q);
        assertTrue(q.contains("c.status not in (:p2, :p3)"), q);
        assertTrue(q.contains("c.refreshAt <= :p4"), q);
    }
}
