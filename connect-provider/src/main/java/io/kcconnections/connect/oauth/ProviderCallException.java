package io.kcconnections.connect.oauth;

/**
 * A call to a provider failed. The message is safe to log and to return: it never contains tokens, codes or
 * secrets (a provider's own error description is shortened and stripped of control characters).
 */
public final class ProviderCallException extends Exception {

    /** Whether trying again later can help. */
    public enum Kind {
        /** Network trouble, 5xx, 429, malformed answers, our own configuration: retry with backoff. */
        TRANSIENT,
        /** The grant is gone ({@code invalid_grant}): only a new consent helps. */
        PERMANENT
    }

    private final Kind kind;
    private final String code;
    private final int httpStatus;
    private final Long retryAfterSeconds;

    public ProviderCallException(Kind kind, String code, int httpStatus, Long retryAfterSeconds, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.httpStatus = httpStatus;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** A short machine code: the OAuth error, {@code http_503}, {@code timeout}, {@code network}, {@code invalid_response}… */
    public String code() {
        return code;
    }

    /** The provider's HTTP status, 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The provider's {@code Retry-After}, in seconds, when it sent one. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
