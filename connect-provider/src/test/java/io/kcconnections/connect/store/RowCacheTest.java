package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RowCacheTest {

    private static Connection row(String id, String cid) {
        return Connection.consented(id, "r", "u", null, "github", cid, null, null,
                new TokenColumns("v1.k.a", null, null, "k", "Bearer", List.of(), Map.of(), null, null), 1L);
    }

    @AfterEach
    void off() {
        RowCache.configure(0, 0);
    }

    @Test
    void aFillIsServedUntilItsRowIsInvalidated() {
        RowCache.configure(60_000, 10);
        RowCache c = RowCache.get();
        String key = RowCache.key("r", "github", "a");
        c.put(key, List.of(row("1", "a")), c.generation());
        assertEquals("1", c.get(key).get(0).id());
        RowCache.invalidated(List.of("1"));
        assertNull(c.get(key), "the row changed: gone");
    }

    @Test
    void aFillBegunBeforeAnInvalidationIsRefused() {
        RowCache.configure(60_000, 10);
        RowCache c = RowCache.get();
        long before = c.generation();
        RowCache.invalidated(List.of("some-other-row")); // a write committed while the read was on its way
        c.put(RowCache.key("r", "github", "a"), List.of(row("1", "a")), before);
        assertNull(c.get(RowCache.key("r", "github", "a")), "possibly stale: not cached");
    }

    @Test
    void insertsInvalidateTheAnyProviderLookupAndBulkChangesEverything() {
        RowCache.configure(60_000, 10);
        RowCache c = RowCache.get();
        String any = RowCache.key("r", null, "a");
        String one = RowCache.key("r", "github", "b");
        c.put(any, List.of(row("1", "a")), c.generation());
        c.put(one, List.of(row("2", "b")), c.generation());
        RowCache.invalidated(List.of(any));
        assertNull(c.get(any));
        assertEquals("2", c.get(one).get(0).id());
        RowCache.invalidated(List.of(RowCache.ALL));
        assertNull(c.get(one));
    }

    @Test
    void offMissesAndEmptyResultsAreNeverCached() {
        RowCache c = RowCache.get();
        c.put("k", List.of(row("1", "a")), c.generation());
        assertNull(c.get("k"), "off");
        RowCache.configure(60_000, 10);
        c = RowCache.get();
        c.put("k", List.of(), c.generation());
        assertNull(c.get("k"), "a miss is not cached");
    }

    @Test
    void entriesExpire() throws Exception {
        RowCache.configure(1, 10);
        RowCache c = RowCache.get();
        c.put("k", List.of(row("1", "a")), c.generation());
        Thread.sleep(5);
        assertNull(c.get("k"));
    }
}
