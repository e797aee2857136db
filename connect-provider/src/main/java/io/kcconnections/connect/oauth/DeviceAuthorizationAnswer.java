package io.kcconnections.connect.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.spi.template.ProviderTemplate;

/**
 * Reads a device authorization answer (RFC 8628 §3.2): the codes, and the verification URLs shown to the person,
 * which must pass the host policy; expiry and polling interval are bounded.
 */
final class DeviceAuthorizationAnswer {

    private DeviceAuthorizationAnswer() {
    }

    static OAuthClient.DeviceAuthorization read(ProviderTemplate t, OutboundHttp.Reply r, HostPolicy policy)
            throws ProviderCallException {
        ObjectNode json = TokenResponses.parseBody(r.body());
        ProviderCallException failure = TokenResponses.failure(t, r.status(), r.retryAfterSeconds(), json);
        if (failure != null) {
            throw failure;
        }
        String deviceCode = JsonFields.text(json, "/device_code");
        String userCode = JsonFields.text(json, "/user_code");
        // Google spells it verification_url.
        String verification = JsonFields.text(json, "/verification_uri") != null
                ? JsonFields.text(json, "/verification_uri") : JsonFields.text(json, "/verification_url");
        if (deviceCode == null || userCode == null || verification == null) {
            throw invalid(r, "the device authorization answer lacks device_code, user_code or verification_uri");
        }
        if (userCode.length() > 64 || verification.length() > 2048 || policy.checkUrl(verification) != null) {
            throw invalid(r, "the device authorization answer has an unusable user_code or verification_uri");
        }
        String complete = JsonFields.text(json, "/verification_uri_complete");
        if (complete != null && (complete.length() > 2048 || policy.checkUrl(complete) != null)) {
            complete = null;
        }
        Long expiresIn = JsonFields.number(json, "/expires_in");
        Long interval = JsonFields.number(json, "/interval");
        return new OAuthClient.DeviceAuthorization(deviceCode, userCode, verification, complete,
                expiresIn == null || expiresIn <= 0 ? 900 : Math.min(expiresIn, 86_400),
                interval == null || interval <= 0 ? 5 : (int) Math.min(interval, 300));
    }

    private static ProviderCallException invalid(OutboundHttp.Reply r, String message) {
        return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", r.status(), null, message);
    }
}
