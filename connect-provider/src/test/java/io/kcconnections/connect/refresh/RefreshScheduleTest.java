package io.kcconnections.connect.refresh;

import io.kcconnections.connect.store.TokenCodec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefreshScheduleTest {

    private static final long DAY = 86_400_000L;

    @Test
    void refreshTimeIsTheWindowBeforeExpiry() {
        long exp = System.currentTimeMillis() + 3_600_000;
        assertEquals(exp - 600_000, TokenCodec.refreshAt(exp, true, 600, null));
    }

    @Test
    void noRefreshTokenNoRefresh() {
        assertNull(TokenCodec.refreshAt(System.currentTimeMillis() + 60_000, false, 600, 30));
    }

    @Test
    void tokensThatNeverExpireAreOnlyRefreshedForIdleExpiry() {
        assertNull(TokenCodec.refreshAt(null, true, 600, null));
        long at = TokenCodec.refreshAt(null, true, 600, 30);
        assertTrue(Math.abs(at - (System.currentTimeMillis() + 30 * DAY)) < 5_000);
    }

    @Test
    void idleExpiryComesFirstWhenSooner() {
        long exp = System.currentTimeMillis() + 90 * DAY;
        long at = TokenCodec.refreshAt(exp, true, 600, 30);
        assertTrue(at < exp - 59 * DAY);
        long soon = System.currentTimeMillis() + 3_600_000;
        assertEquals(soon - 600_000, TokenCodec.refreshAt(soon, true, 600, 30));
    }

    @Test
    void backoffGrowsExponentiallyWithJitterAndHonoursRetryAfter() {
        for (int i = 0; i < 50; i++) {
            long b1 = RefreshFailures.backoffMillis(1, null);
            assertTrue(b1 >= 24_000 && b1 <= 36_000, "first backoff " + b1);
            long b3 = RefreshFailures.backoffMillis(3, null);
            assertTrue(b3 >= 96_000 && b3 <= 144_000, "third backoff " + b3);
            long capped = RefreshFailures.backoffMillis(40, null);
            assertTrue(capped <= 3_600_000 * 1.2 + 1 && capped >= 3_600_000 * 0.8 - 1, "capped " + capped);
            assertTrue(RefreshFailures.backoffMillis(1, 600L) >= 600_000, "Retry-After wins when longer");
        }
    }
}
