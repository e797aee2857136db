package io.kcconnections.connect.outbox;

import java.util.Map;

import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.config.WebhookOutSettings;
import io.kcconnections.connect.net.WebhookPost;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link OutboxPass#retryDelayMillis}: a 429 or 503 may push the next attempt later, never earlier nor past the cap. */
class RetryDelayTest {

    private final WebhookOutSettings settings = ConnectSettings.from(n -> null,
            Map.of("CONNECT_WEBHOOK_OUT_BACKOFF_SECONDS", "5,30,600,120")).webhookOut();

    private long delay(int attempts, int status, Long retryAfterMillis) {
        return OutboxPass.retryDelayMillis(settings, attempts, new WebhookPost.Result(status, null, retryAfterMillis));
    }

    @Test
    void retryAfterOf429Or503DefersUpToTheLargestStep() {
        assertEquals(90_000, delay(1, 429, 90_000L));
        assertEquals(90_000, delay(1, 503, 90_000L));
        assertEquals(600_000, delay(1, 429, 86_400_000L), "capped at the largest step, not the last");
        assertEquals(600_000, delay(4, 503, 999_999_999_000L));
    }

    @Test
    void neverEarlierThanTheBackoff() {
        assertEquals(30_000, delay(2, 429, 1_000L));
        assertEquals(5_000, delay(1, 503, 0L));
        assertEquals(120_000, delay(4, 429, 60_000L));
    }

    @Test
    void otherAnswersAndNoHeaderKeepTheBackoff() {
        assertEquals(5_000, delay(1, 429, null));
        assertEquals(5_000, delay(1, 500, 90_000L));
        assertEquals(30_000, delay(2, 302, 90_000L));
        assertEquals(5_000, delay(1, 0, 90_000L));
    }
}
