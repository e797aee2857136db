package io.kcconnections.connect.spi;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * Code for the few providers data cannot describe (a client secret that is a signed JWT, a response that needs
 * reshaping). A template names its hook by factory id in {@code hook:}. Every method has a do-nothing default.
 * <p>
 * Hooks run on request threads and in the refresher; they must be thread-safe and must never log secrets.
 */
public interface ProviderHook extends Provider {

    /** Which OAuth step a token-endpoint request belongs to. */
    enum Step { CODE_EXCHANGE, REFRESH, CLIENT_CREDENTIALS, DEVICE_CODE, REVOKE }

    /**
     * What a hook may read about the call at hand.
     *
     * @param session  the Keycloak session (realm set in its context)
     * @param realm    the realm the connection belongs to
     * @param template the provider's template
     * @param values   configured template parameter values (tenant, domain, …), never null
     * @param clientId the configured client id
     */
    record Context(KeycloakSession session, RealmModel realm, ProviderTemplate template,
                   Map<String, String> values, String clientId) {
    }

    /**
     * Adjusts the authorization-request parameters, which already hold {@code response_type}, {@code client_id},
     * {@code redirect_uri}, {@code state}, the scopes and the PKCE challenge. The map is mutable and ordered.
     */
    default void authorizeParams(Context context, Map<String, String> params) {
    }

    /**
     * Adjusts a request to the token, refresh or revoke endpoint before it is sent. {@code body} holds the
     * parameters (a form or a JSON object according to the template) and {@code headers} the headers; both are
     * mutable. The client secret, if any, is already in place per the template's client-auth method.
     * <p>
     * A hook that cannot build the request throws a {@link RuntimeException} (e.g. {@link IllegalStateException})
     * whose message names the problem without any secret: the call then fails like a transient provider error
     * carrying that message (a connect ends with {@code token_exchange_failed}, a refresh is retried later).
     */
    default void tokenRequest(Context context, Step step, Map<String, String> body, Map<String, String> headers) {
    }

    /**
     * Checks the parameters of the callback that carries the authorization code, before the code is exchanged
     * (Shopify signs them with the client secret). {@code params} holds each parameter's single value; a parameter
     * sent more than once is refused before the hook is asked.
     *
     * @param clientSecret the configured client secret (vault references resolved), or null; never log it
     * @return null to accept the callback, else why it is refused (no secret in the text): nothing is exchanged or
     *         stored and the app gets {@code error=callback_refused}
     */
    default String verifyCallback(Context context, Map<String, String> params, String clientSecret) {
        return null;
    }

    /**
     * A request the engine sends for a hook, over the same guarded transport as every provider call: {@code query}
     * is appended to {@code url}; nothing is sent in a body.
     *
     * @param withClientSecret whether the engine adds the configured client secret as the query parameter
     *                         {@code client_secret} (the hook never sees it; the query is never logged)
     */
    record Call(String method, String url, Map<String, String> query, boolean withClientSecret) {
        public Call {
            if (!"GET".equals(method) && !"POST".equals(method)) {
                throw new IllegalArgumentException("a hook call is a GET or a POST: " + method);
            }
            query = query == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
        }
    }

    /**
     * A second token call right after a successful code exchange (Instagram's short-lived token traded for a
     * long-lived one). Its answer goes through {@link #tokenResponse} and the error checks like the exchange's, and its
     * members replace the exchange answer's (members it does not have, such as a user id, are kept).
     *
     * @param answer the code exchange's answer, after {@link #tokenResponse}; do not modify it
     * @return null for none
     */
    default Call afterCodeExchange(Context context, ObjectNode answer) {
        return null;
    }

    /**
     * The refresh request in place of the template's ({@code grant_type=refresh_token} to the refresh endpoint), for
     * providers that refresh another way (Instagram: a GET with the long-lived token). Its answer is read like any
     * refresh answer, {@link #tokenResponse} first.
     *
     * @param refreshToken the stored refresh token
     * @return null for the template's request
     */
    default Call refreshCall(Context context, String refreshToken) {
        return null;
    }

    /**
     * Reshapes a token-endpoint response (already parsed to JSON, form answers included) before the template's
     * {@code tokenResponse} paths are applied. Modify it in place.
     */
    default void tokenResponse(Context context, Step step, ObjectNode response) {
    }

    @Override
    default void close() {
    }
}
