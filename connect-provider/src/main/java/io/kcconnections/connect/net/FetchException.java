package io.kcconnections.connect.net;

/**
 * Why an outbound fetch (an MCP server, its metadata or registration) was refused. The message is safe to show to the app: it names URLs and fields,
 * never a secret. {@code status} is the HTTP status to answer with: 400 when the app's URL itself is refused,
 * 502 when what the server or its authorization server answered is unusable or hostile.
 */
public final class FetchException extends Exception {

    private final int status;
    private final String code;

    public FetchException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
