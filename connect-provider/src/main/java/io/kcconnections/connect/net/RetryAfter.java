package io.kcconnections.connect.net;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * A {@code Retry-After} header (RFC 9110 §10.2.3) read defensively, for answers whose sender is not trusted (an app's
 * webhook endpoint): delta-seconds (ASCII digits only, at most {@value #MAX_DIGITS} of them) or an HTTP date; a past
 * date means now. Anything else (a sign, a fraction, an overlong value, another date format) is ignored, and callers
 * still cap what they accept.
 */
public final class RetryAfter {

    static final int MAX_DIGITS = 9;
    private static final int MAX_LENGTH = 64;
    private static final Pattern DELTA_SECONDS = Pattern.compile("[0-9]{1," + MAX_DIGITS + "}");

    private RetryAfter() {
    }

    /** The wait the header asks for, in milliseconds from {@code nowMillis} (never negative); null when unusable. */
    public static Long millis(String header, long nowMillis) {
        if (header == null || header.length() > MAX_LENGTH) {
            return null;
        }
        String v = header.trim();
        if (DELTA_SECONDS.matcher(v).matches()) {
            return Long.parseLong(v) * 1000L;
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, at - nowMillis);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
