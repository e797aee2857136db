package io.kcconnections.connect.outbox;

import java.util.Map;

import io.kcconnections.connect.config.ConnectSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link OutboxPass#pageSize}: a pass claims no more rows than its senders finish within half the lease. */
class PageSizeTest {

    private static int page(String lease, String deadline) {
        return OutboxPass.pageSize(ConnectSettings.from(n -> null, Map.of("CONNECT_WEBHOOK_OUT_LEASE_SECONDS", lease,
                "CONNECT_WEBHOOK_OUT_DEADLINE_SECONDS", deadline)).webhookOut());
    }

    @Test
    void rowsTheSendersFinishWithinHalfTheLease() {
        assertEquals(12, page("60", "10"), "the defaults: 4 senders, 3 rounds of 10 s in 30 s");
        assertEquals(4, page("10", "10"), "the deadline is cut to half the lease: one round");
        assertEquals(8, page("60", "15"));
        assertEquals(32, page("3600", "1"), "never more than a page");
    }
}
