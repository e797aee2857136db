package io.kcconnections.connect.limits;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RateLimits limits = new RateLimits(1000, now::get);

    @Test
    void aMinutesAllowanceAtOnceThenTheSteadyRate() {
        for (int i = 0; i < 60; i++) {
            assertEquals(0, limits.take(RateLimits.Kind.TOKEN_READS, "u1", 60), "call " + i);
        }
        long wait = limits.take(RateLimits.Kind.TOKEN_READS, "u1", 60);
        assertEquals(1000, wait, "one a second at 60 a minute");
        now.addAndGet(999);
        assertTrue(limits.take(RateLimits.Kind.TOKEN_READS, "u1", 60) > 0, "not yet");
        now.addAndGet(1);
        assertEquals(0, limits.take(RateLimits.Kind.TOKEN_READS, "u1", 60));
        assertTrue(limits.take(RateLimits.Kind.TOKEN_READS, "u1", 60) > 0, "refused calls take nothing but wait");
    }

    @Test
    void keysAndKindsAreSeparateAndZeroIsNoLimit() {
        assertEquals(0, limits.take(RateLimits.Kind.TOKEN_READS, "a", 1));
        assertTrue(limits.take(RateLimits.Kind.TOKEN_READS, "a", 1) > 0);
        assertEquals(0, limits.take(RateLimits.Kind.TOKEN_READS, "b", 1), "another key");
        assertEquals(0, limits.take(RateLimits.Kind.CONNECT_STARTS, "a", 1), "another kind");
        assertEquals(0, limits.take(RateLimits.Kind.WEBHOOK_DELIVERIES, "a", 1), "webhook routes have their own buckets");
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, limits.take(RateLimits.Kind.TOKEN_READS, "a", 0));
        }
    }

    @Test
    void idleBucketsAreForgottenWhenTheMapIsFull() {
        for (int i = 0; i < 1500; i++) {
            limits.take(RateLimits.Kind.TOKEN_READS, "k" + i, 60);
        }
        assertEquals(1500, limits.size(), "buckets in use are kept");
        now.addAndGet(60_000);
        limits.take(RateLimits.Kind.TOKEN_READS, "late", 60);
        limits.take(RateLimits.Kind.TOKEN_READS, "later", 60);
        assertTrue(limits.size() < 1000, "after a quiet minute the map empties: " + limits.size());
    }
}
