package io.kcconnections.connect.oauth;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.spi.ProviderHook;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Talks OAuth 2.0 to one provider as its template says, over {@link OutboundHttp} (pinned, or Keycloak's client). Never logs a token, code,
 * verifier or secret; failures come back as {@link ProviderCallException} with a safe message.
 * <p>
 * A facade: {@link ProviderRequests} builds each request, {@link ProviderTransport} sends it, {@link TokenResponses},
 * {@link DeviceAuthorizationAnswer} and {@link RevocationAnswer} read the answers, {@link AccountLookup} identifies
 * the account.
 */
public final class OAuthClient {

    private final HostPolicy policy;
    private final ProviderHooks hooks;
    private final ProviderRequests requests;
    private final ProviderTransport transport;
    private final AccountLookup accounts;
    private final Function<ResolvedProvider, String> secrets;

    public OAuthClient(KeycloakSession session, HostPolicy policy) {
        this(session, policy, OutboundHttp.Options.DEFAULTS);
    }

    /** @param options how provider calls go out: the pinned or Keycloak's client, the total deadline per call */
    public OAuthClient(KeycloakSession session, HostPolicy policy, OutboundHttp.Options options) {
        this(session, policy, p -> p.clientSecret(session), options);
    }

    /** For tests that build requests without a Keycloak session. */
    OAuthClient(KeycloakSession session, HostPolicy policy, Function<ResolvedProvider, String> secrets) {
        this(session, policy, secrets, OutboundHttp.Options.DEFAULTS);
    }

    private OAuthClient(KeycloakSession session, HostPolicy policy, Function<ResolvedProvider, String> secrets,
                        OutboundHttp.Options options) {
        this.policy = policy;
        this.secrets = secrets;
        this.hooks = new ProviderHooks(session);
        this.requests = new ProviderRequests(session, secrets, hooks);
        OutboundHttp http = new OutboundHttp(session, policy, options);
        this.transport = new ProviderTransport(http, policy);
        this.accounts = new AccountLookup(http, policy);
    }

    /**
     * The callback URL of a provider in a realm, as the authorization request sent it ({@code redirect_uri}).
     *
     * @throws RuntimeException outside a request when the server has no configured hostname (Keycloak cannot know
     *                          its public URL then)
     */
    public static String callbackUri(KeycloakSession session, RealmModel realm, String provider) {
        return ProviderRequests.callbackUri(session, realm, provider);
    }

    /**
     * The provider-side account a token belongs to. Any field may be null.
     *
     * @param captured values the template's {@code account.capture} names, kept with the connection's metadata
     * @param emailVerified the provider's own flag ({@code account.emailVerified}) says the email is verified
     */
    public record Account(String id, String name, String email, Map<String, String> captured, boolean emailVerified) {
        public Account {
            captured = captured == null ? Map.of() : Map.copyOf(captured);
            emailVerified = emailVerified && email != null;
        }

        public Account(String id, String name, String email, Map<String, String> captured) {
            this(id, name, email, captured, false);
        }

        public Account(String id, String name, String email) {
            this(id, name, email, Map.of());
        }
    }

    /** Builds the authorization URL the browser is sent to. */
    public String authorizeUrl(ResolvedProvider p, RealmModel realm, String redirectUri, String state,
                               String codeChallenge, List<String> scopes) {
        return requests.authorizeUrl(p, realm, redirectUri, state, codeChallenge, scopes);
    }

    /**
     * Whether the callback that carries the code may be trusted, as the provider's hook says (Shopify's signature);
     * null when it may (always, without a hook), else why not (no secret in the text). For a hook, a parameter sent
     * more than once is refused outright: a signature covers one value.
     *
     * @param params the callback's parameters
     */
    public String verifyCallback(ResolvedProvider p, RealmModel realm, Map<String, List<String>> params) {
        ProviderHook hook = hooks.find(p.template());
        if (hook == null) {
            return null;
        }
        Map<String, String> single = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() != 1) {
                return "parameter " + TokenResponses.safeCode(e.getKey()) + " is sent " + e.getValue().size() + " times";
            }
            single.put(e.getKey(), e.getValue().get(0));
        }
        try {
            return hook.verifyCallback(hooks.context(p, realm), java.util.Collections.unmodifiableMap(single), secrets.apply(p));
        } catch (RuntimeException e) {
            return "hook " + p.template().hook() + " failed (" + e.getClass().getSimpleName() + ")";
        }
    }

    /**
     * Exchanges an authorization code (with the PKCE verifier when one was sent); when the provider's hook asks for a
     * second call (Instagram's long-lived token), its answer completes the exchange's.
     */
    public TokenSet exchangeCode(ResolvedProvider p, RealmModel realm, String code, String redirectUri, String verifier,
                                 List<String> requestedScopes) throws ProviderCallException {
        ProviderHook.Step step = ProviderHook.Step.CODE_EXCHANGE;
        ObjectNode json = answer(p, realm, step, requests.codeExchange(p, realm, code, redirectUri, verifier));
        ProviderHook hook = hooks.find(p.template());
        ProviderHook.Call next = hook == null ? null : hook.afterCodeExchange(hooks.context(p, realm), json.deepCopy());
        if (next != null) {
            json.setAll(answer(p, realm, step, requests.hookCall(p, next)));
        }
        return TokenResponses.toTokenSet(p.template(), json, requestedScopes, false);
    }

    /**
     * Refreshes, with the template's request or the one the provider's hook makes; the result's refresh token is null
     * when the provider sent none.
     */
    public TokenSet refresh(ResolvedProvider p, RealmModel realm, String refreshToken, List<String> priorScopes)
            throws ProviderCallException {
        ProviderHook hook = hooks.find(p.template());
        ProviderHook.Call call = hook == null ? null : hook.refreshCall(hooks.context(p, realm), refreshToken);
        Outbound out = call != null ? requests.hookCall(p, call) : requests.refresh(p, realm, refreshToken);
        return tokenCall(p, realm, ProviderHook.Step.REFRESH, out, priorScopes);
    }

    /**
     * The client-credentials grant (RFC 6749 §4.4): a token for the app itself, with the provider's configured
     * client. Run again to renew (there is no refresh token).
     */
    public TokenSet clientCredentials(ResolvedProvider p, RealmModel realm, List<String> scopes) throws ProviderCallException {
        return tokenCall(p, realm, ProviderHook.Step.CLIENT_CREDENTIALS, requests.clientCredentials(p, realm, scopes), scopes);
    }

    /** A device authorization response (RFC 8628 §3.2). {@code deviceCode} is a secret. */
    public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
                                      String verificationUriComplete, long expiresIn, int interval) {
        @Override
        public String toString() {
            return "DeviceAuthorization[user_code, verification_uri=" + verificationUri + "]";
        }
    }

    /**
     * Starts a device authorization (RFC 8628 §3.1) at the provider's device authorization endpoint.
     *
     * @param codeChallenge PKCE S256 challenge, or null: RFC 8628 does not define PKCE, but providers that enforce
     *                      it for a client (Keycloak) want it on the device authorization request too
     */
    public DeviceAuthorization deviceAuthorization(ResolvedProvider p, RealmModel realm, List<String> scopes,
                                                   String codeChallenge) throws ProviderCallException {
        Outbound out = requests.deviceAuthorization(p, realm, scopes, codeChallenge);
        return DeviceAuthorizationAnswer.read(p.template(), transport.send(p, out), policy);
    }

    /**
     * One poll of the token endpoint for a device authorization (RFC 8628 §3.4). While the person has not decided,
     * this throws with code {@code authorization_pending} or {@code slow_down}.
     */
    public TokenSet pollDevice(ResolvedProvider p, RealmModel realm, String deviceCode, String verifier,
                               List<String> scopes) throws ProviderCallException {
        return tokenCall(p, realm, ProviderHook.Step.DEVICE_CODE, requests.devicePoll(p, realm, deviceCode, verifier), scopes);
    }

    /** Identifies the account behind a new token; null when the template says nothing or the lookup fails. */
    public Account account(ResolvedProvider p, RealmModel realm, TokenSet tokens) {
        return accounts.account(p, tokens);
    }

    /**
     * Revokes a token at the provider, as its revoke spec says. Best effort: the caller decides what a failure means.
     *
     * @return false when the provider has no revocation endpoint
     */
    public boolean revoke(ResolvedProvider p, RealmModel realm, String accessToken, String refreshToken)
            throws ProviderCallException {
        Outbound req = revokeRequest(p, realm, accessToken, refreshToken);
        if (req == null) {
            return false;
        }
        RevocationAnswer.check(transport.send(p, req));
        return true;
    }

    /** The revocation request for a connection's tokens; null when there is nothing to revoke or nowhere to send it. */
    Outbound revokeRequest(ResolvedProvider p, RealmModel realm, String accessToken, String refreshToken)
            throws ProviderCallException {
        return requests.revokeRequest(p, realm, accessToken, refreshToken);
    }

    /**
     * A token response that reached Keycloak another way (a login through a Keycloak identity provider), read as the
     * provider's template describes its token responses.
     */
    public static TokenSet tokenSetOf(ProviderTemplate t, String rawJson) throws ProviderCallException {
        return TokenResponses.tokenSetOf(t, rawJson);
    }

    /** Sends a token-endpoint request and reads its answer: the hook sees it first, then errors, then the tokens. */
    private TokenSet tokenCall(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, Outbound out,
                               List<String> requestedScopes) throws ProviderCallException {
        ObjectNode json = answer(p, realm, step, out);
        return TokenResponses.toTokenSet(p.template(), json, requestedScopes, step == ProviderHook.Step.REFRESH);
    }

    /** Sends a token-endpoint request; its answer once the hook has seen it, or the failure it means. */
    private ObjectNode answer(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, Outbound out)
            throws ProviderCallException {
        ProviderTemplate t = p.template();
        OutboundHttp.Reply r = transport.send(p, out);
        ObjectNode json = TokenResponses.parseBody(r.body());
        hooks.tokenResponse(p, realm, step, r.status(), json);
        ProviderCallException failure = TokenResponses.failure(t, r.status(), r.retryAfterSeconds(), json);
        if (failure != null) {
            throw failure;
        }
        return json;
    }
}
