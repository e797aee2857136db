package io.kcconnections.connect.connection;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;
import org.jboss.logging.Logger;
import org.keycloak.common.util.KeycloakUriBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Step 3 of the connect path, <em>callback</em>: the provider sends the browser back with a code. The state is taken
 * (once), the code exchanged with the PKCE verifier, the account looked up, and the tokens handed to
 * {@link ConnectionWriter} (step 4, <em>store</em>). The browser goes back to the app with {@code success=true} or an
 * {@code error}; without a usable state there is no app to go back to, so the person sees an error page.
 */
public final class Callbacks {

    private static final Logger LOG = Logger.getLogger(Callbacks.class);

    private final ConnectService connect;

    Callbacks(ConnectService connect) {
        this.connect = connect;
    }

    /** Where the browser goes next. */
    public sealed interface Outcome {
    }

    /** A themed error page with this message key (no app to return to). */
    public record ErrorPage(String messageKey) implements Outcome {
    }

    /** Back to the app. */
    public record Redirect(URI location) implements Outcome {
    }

    public Outcome finish(String providerName, MultivaluedMap<String, String> params) {
        String state = params.getFirst("state");
        if (state == null || state.isBlank() || state.length() > 512) {
            return new ErrorPage("connectStateMissing");
        }
        PendingAuthorization p = AuthorizationStates.take(connect.session(), state);
        RealmModel realm = connect.realm();
        if (p == null) {
            LOG.infof("connect callback for %s: unknown, expired or already used state", Inputs.shown(providerName));
            return new ErrorPage("connectStateInvalid");
        }
        if (!realm.getId().equals(p.realmId())) {
            return new ErrorPage("connectStateInvalid");
        }
        if (!sameBrowser(p)) {
            LOG.infof("connect callback for %s: the browser is not the one that started connection %s",
                    Inputs.shown(providerName), Inputs.shown(p.connectionId()));
            ConnectEvents.connectFailed(connect.session(), realm, p.clientId(), p.userId(), p.provider(),
                    p.connectionId(), "browser_mismatch");
            return new ErrorPage("connectBrowserMismatch");
        }
        try {
            return complete(providerName, params, state, p);
        } catch (Failure f) {
            ConnectEvents.connectFailed(connect.session(), realm, p.clientId(), p.userId(), p.provider(), p.connectionId(),
                    f.error);
            return error(p, f.error);
        }
    }

    /**
     * Whether the callback comes from the browser that opened the start page: the same Keycloak SSO session, of the
     * person the authorization is for. A state carried to another browser (sent to someone, or a provider URL
     * opened elsewhere) ends here, so no one else's account can land in this person's connection.
     */
    private boolean sameBrowser(PendingAuthorization p) {
        if (p.browserSession() == null) {
            return false;
        }
        AuthenticationManager.AuthResult who = AuthenticationManager.authenticateIdentityCookie(connect.session(),
                connect.realm(), true);
        return who != null && who.session().getId().equals(p.browserSession()) && who.user().getId().equals(p.userId());
    }

    /** A callback that ends in an error redirect to the app, recorded as a failed connect event. */
    private static final class Failure extends Exception {
        final String error;

        Failure(String error) {
            super(error, null, false, false);
            this.error = error;
        }
    }

    private Outcome complete(String providerName, MultivaluedMap<String, String> params, String state,
                             PendingAuthorization p) throws Failure {
        if (!p.provider().equals(providerName)) {
            throw new Failure("provider_mismatch");
        }
        String providerError = params.getFirst("error");
        if (providerError != null) {
            String code = providerError.matches("[a-z_]{1,64}") ? providerError : "provider_error";
            LOG.infof("connect callback for %s: the provider answered error=%s", providerName, code);
            throw new Failure("access_denied".equals(code) ? code : "provider_error");
        }
        String code = params.getFirst("code");
        if (code == null || code.isBlank()) {
            throw new Failure("missing_code");
        }
        RealmModel realm = connect.realm();
        UserModel user = connect.session().users().getUserById(realm, p.userId());
        if (user == null || !user.isEnabled()) {
            throw new Failure("user_not_found");
        }
        ResolvedProvider provider = connect.authorizations().providerOf(p);
        if (provider == null) {
            throw new Failure("provider_not_configured");
        }
        KeyRing ring;
        String verifier;
        try {
            ring = connect.keyRing(realm);
            verifier = p.verifierCiphertext() == null ? null
                    : ring.decrypt(p.verifierCiphertext(), AuthorizationStates.aad(state));
        } catch (KeyRingSource.KeyUnavailableException | KeyRing.DecryptionException e) {
            LOG.errorf("connect callback for %s: %s", providerName, e.getMessage());
            throw new Failure("server_error");
        }
        OAuthClient oauth = connect.oauth();
        verified(provider, params);
        TokenSet tokens;
        try {
            tokens = oauth.exchangeCode(provider, realm, code, connect.authorizations().callbackUri(providerName),
                    verifier, p.scopes());
        } catch (ProviderCallException e) {
            LOG.warnf("connect callback for %s: code exchange failed: %s", providerName, e.getMessage());
            throw new Failure("token_exchange_failed");
        }
        OAuthClient.Account account = oauth.account(provider, realm, tokens);
        ClientModel app = realm.getClientByClientId(p.clientId());
        ConnectionWriter.Result stored = new ConnectionWriter(connect).writeInOwnTransaction(user.getId(), app, provider,
                p.connectionId(),
                tokens, metadata(p, provider, tokens, account, params), account, ring);
        if (stored.error() != null) {
            throw new Failure(stored.error());
        }
        ConnectEvents.connected(connect.session(), realm, app, user.getId(),
                provider.name(), p.connectionId(), stored.reconnect());
        LOG.infof("connection %s stored for provider %s (user %s)", Inputs.shown(p.connectionId()), providerName, user.getId());
        return new Redirect(KeycloakUriBuilder.fromUri(p.redirectUri()).queryParam("success", "true")
                .queryParam("connection_id", p.connectionId()).build());
    }

    /**
     * The provider's hook checks the callback before the code is exchanged (Shopify's hmac and shop). A refusal stores
     * nothing.
     */
    private void verified(ResolvedProvider provider, MultivaluedMap<String, String> params) throws Failure {
        String refusal = connect.oauth().verifyCallback(provider, connect.realm(), params);
        if (refusal != null) {
            LOG.warnf("connect callback for %s refused before the code exchange: %s", provider.name(), Inputs.safe(refusal));
            throw new Failure("callback_refused");
        }
    }

    /**
     * What the connection records besides its tokens: captured values (token answer, then account answer), callback
     * values, per-connection values, MCP.
     */
    private static Map<String, String> metadata(PendingAuthorization p, ResolvedProvider provider, TokenSet tokens,
                                                OAuthClient.Account account, MultivaluedMap<String, String> params) {
        Map<String, String> metadata = new LinkedHashMap<>(tokens.captured());
        if (account != null) {
            metadata.putAll(account.captured());
        }
        for (String name : provider.template().callbackCapture()) {
            String v = params.getFirst(name);
            if (v != null && v.length() <= 256 && v.chars().noneMatch(ch -> ch < 0x20)) {
                metadata.put(name, v);
            }
        }
        provider.connectionValues().forEach((k, v) -> metadata.put(ProviderRegistry.CONNECTION_VALUE_PREFIX + k, v));
        if (p.mcp() != null) {
            metadata.put(McpConnect.SERVER_URL, p.mcp().serverUrl());
            metadata.put(McpConnect.RESOURCE, p.mcp().resource());
            metadata.put(McpConnect.ISSUER, p.mcp().issuer());
        }
        return metadata;
    }

    /** An error redirect to the app. */
    static Outcome error(PendingAuthorization p, String error) {
        return new Redirect(errorLocation(p, error));
    }

    static URI errorLocation(PendingAuthorization p, String error) {
        KeycloakUriBuilder b = KeycloakUriBuilder.fromUri(p.redirectUri()).queryParam("error", error);
        if (p.connectionId() != null) {
            b.queryParam("connection_id", p.connectionId());
        }
        return b.build();
    }
}
