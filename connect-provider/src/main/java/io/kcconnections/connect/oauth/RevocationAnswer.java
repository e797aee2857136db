package io.kcconnections.connect.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.net.OutboundHttp;

/** Reads a revocation endpoint's answer (RFC 7009 §2.2). */
final class RevocationAnswer {

    private RevocationAnswer() {
    }

    /** Throws unless the answer is a success or says the token was already invalid. */
    static void check(OutboundHttp.Reply r) throws ProviderCallException {
        int status = r.status();
        if (status == 429 || status >= 500) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "http_" + status, status,
                    r.retryAfterSeconds(), "revocation answered HTTP " + status);
        }
        if (status / 100 != 2) {
            // RFC 7009 §2.2: an invalid token is not an error for revocation; anything else is reported.
            ObjectNode json = TokenResponses.parseBody(r.body());
            String err = json == null ? null : JsonFields.text(json, "/error");
            if (!"invalid_token".equals(err)) {
                throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT,
                        err != null ? TokenResponses.safeCode(err) : "http_" + status, status, null,
                        "revocation answered HTTP " + status);
            }
        }
    }
}
