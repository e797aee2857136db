package io.kcconnections.connect.credentials;

/**
 * What one health check found: passed, or an error code ({@code unauthorized}, {@code unreachable}, {@code timeout},
 * {@code tls_failed}, {@code auth_failed}, {@code http_503}, …) with a short description. Neither ever carries a
 * secret, an answer's body or an exception's message.
 */
public record CheckResult(boolean ok, String error, String description) {

    public static final CheckResult OK = new CheckResult(true, null, null);

    public static CheckResult fail(String error, String description) {
        return new CheckResult(false, error, description);
    }

    /** The error as stored with the health row: code and description. */
    public String summary() {
        return ok ? null : description == null ? error : error + ": " + description;
    }
}
