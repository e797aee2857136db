package io.kcconnections.connect.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.crypto.TokenCodec;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.ConnectionStore;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.common.util.KeycloakUriBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** {@code GET|POST /connect/callback/{provider}}: the provider sends the browser back; the code becomes a stored connection. */
final class CallbackEndpoint extends EndpointSupport {

    private static final Logger LOG = Logger.getLogger(CallbackEndpoint.class);

    CallbackEndpoint(KeycloakSession session) {
        super(session);
    }

    Response handleGet(String providerName) {
        return callback(providerName, session.getContext().getUri().getQueryParameters());
    }

    Response handlePost(String providerName) {
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        MultivaluedMap<String, String> all = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        all.putAll(session.getContext().getUri().getQueryParameters());
        if (form != null) {
            form.forEach((k, v) -> all.put(k, v));
        }
        return callback(providerName, all);
    }

    private Response callback(String providerName, MultivaluedMap<String, String> params) {
        String state = params.getFirst("state");
        if (state == null || state.isBlank() || state.length() > 512) {
            return errorPage("connectStateMissing");
        }
        Map<String, String> notes = session.singleUseObjects().remove(stateKey(state));
        if (notes == null) {
            LOG.infof("connect callback for %s: unknown, expired or already used state", ApiError.shown(providerName));
            return errorPage("connectStateInvalid");
        }
        if (!realm.getId().equals(notes.get("realm"))) {
            return errorPage("connectStateInvalid");
        }
        String redirect = notes.get("redirect");
        String cid = notes.get("connection");
        if (!notes.get("provider").equals(providerName)) {
            return failed(notes, redirect, cid, "provider_mismatch");
        }
        String providerError = params.getFirst("error");
        if (providerError != null) {
            String code = providerError.matches("[a-z_]{1,64}") ? providerError : "provider_error";
            LOG.infof("connect callback for %s: the provider answered error=%s", providerName, code);
            return failed(notes, redirect, cid, "access_denied".equals(code) ? code : "provider_error");
        }
        String code = params.getFirst("code");
        if (code == null || code.isBlank()) {
            return failed(notes, redirect, cid, "missing_code");
        }
        UserModel user = session.users().getUserById(realm, notes.get("user"));
        if (user == null || !user.isEnabled()) {
            return failed(notes, redirect, cid, "user_not_found");
        }
        boolean mcp = notes.containsKey(io.kcconnections.connect.mcp.McpConnect.ISSUER);
        ResolvedProvider provider = mcp
                ? io.kcconnections.connect.mcp.McpConnect.provider(session, realm,
                        notes.get(io.kcconnections.connect.mcp.McpConnect.ISSUER), notes.get(io.kcconnections.connect.mcp.McpConnect.RESOURCE))
                : connect.registry().find(session, realm, providerName);
        if (provider == null) {
            return failed(notes, redirect, cid, "provider_not_configured");
        }
        Map<String, String> connectionValues = new LinkedHashMap<>();
        notes.forEach((k, v) -> {
            if (k.startsWith(CONNECTION_VALUE_NOTE)) {
                connectionValues.put(k.substring(CONNECTION_VALUE_NOTE.length()), v);
            }
        });
        ResolvedProvider.Result withValues = provider.withConnectionValues(connectionValues);
        if (!withValues.ok()) {
            LOG.warnf("connect callback for %s: the connection's values are refused now: %s", providerName,
                    String.join("; ", withValues.problems()));
            return redirectError(redirect, cid, "provider_not_configured");
        }
        provider = withValues.provider();
        KeyRing ring;
        String verifier;
        try {
            ring = connect.keyRing(realm);
            verifier = notes.containsKey("verifier") ? ring.decrypt(notes.get("verifier"), stateAad(state)) : null;
        } catch (KeyRingSource.KeyUnavailableException | KeyRing.DecryptionException e) {
            LOG.errorf("connect callback for %s: %s", providerName, e.getMessage());
            return failed(notes, redirect, cid, "server_error");
        }
        List<String> scopes = List.of(notes.getOrDefault("scopes", "").split(" ")).stream().filter(s -> !s.isEmpty()).toList();
        OAuthClient oauth = connect.oauth();
        TokenSet tokens;
        try {
            tokens = oauth.exchangeCode(provider, realm, code, callbackUri(providerName), verifier, scopes);
        } catch (ProviderCallException e) {
            LOG.warnf("connect callback for %s: code exchange failed: %s", providerName, e.getMessage());
            return failed(notes, redirect, cid, "token_exchange_failed");
        }
        Map<String, String> metadata = new LinkedHashMap<>(tokens.captured());
        for (String name : provider.template().callbackCapture()) {
            String v = params.getFirst(name);
            if (v != null && v.length() <= 256 && v.chars().noneMatch(ch -> ch < 0x20)) {
                metadata.put(name, v);
            }
        }
        provider.connectionValues().forEach((k, v) -> metadata.put(ProviderRegistry.CONNECTION_VALUE_PREFIX + k, v));
        for (String k : List.of(io.kcconnections.connect.mcp.McpConnect.SERVER_URL, io.kcconnections.connect.mcp.McpConnect.RESOURCE,
                io.kcconnections.connect.mcp.McpConnect.ISSUER)) {
            if (notes.containsKey(k)) {
                metadata.put(k, notes.get(k));
            }
        }
        OAuthClient.Account account = oauth.account(provider, realm, tokens);
        java.util.concurrent.atomic.AtomicBoolean reconnect = new java.util.concurrent.atomic.AtomicBoolean();
        String outcome = store(user, provider.name(), cid, tokens, metadata, account, ring, reconnect);
        if (outcome != null) {
            return failed(notes, redirect, cid, outcome);
        }
        ConnectEvents.connected(session, realm, realm.getClientByClientId(notes.get("client")), user.getId(),
                provider.name(), cid, reconnect.get());
        LOG.infof("connection %s stored for provider %s (user %s)", ApiError.shown(cid), providerName, user.getId());
        return Response.status(302).location(KeycloakUriBuilder.fromUri(redirect)
                .queryParam("success", "true").queryParam("connection_id", cid).build()).build();
    }

    private Integer idleRefreshDays(String provider) {
        var t = connect.registry().templates().get(provider);
        return t == null ? null : t.idleRefreshDays();
    }

    /** An error redirect to the app, recorded as a failed connect event. */
    private Response failed(Map<String, String> notes, String redirect, String cid, String error) {
        ConnectEvents.connectFailed(session, realm, notes.get("client"), notes.get("user"), notes.get("provider"), cid, error);
        return redirectError(redirect, cid, error);
    }

    /** Inserts or, on reconnect, replaces; in its own transaction so a lost race is an error redirect, not a 500. */
    private String store(UserModel user, String provider, String cid, TokenSet tokens, Map<String, String> metadata,
                         OAuthClient.Account account, KeyRing ring, java.util.concurrent.atomic.AtomicBoolean reconnect) {
        int window = connect.settings().refreshWindowSeconds();
        try {
            io.kcconnections.connect.store.ConnectionWriter.Result r = KeycloakModelUtils.runJobInTransactionWithResult(
                    session.getKeycloakSessionFactory(), s -> io.kcconnections.connect.store.ConnectionWriter.write(s, realm,
                            user.getId(), provider, cid, tokens, metadata, account, ring, window,
                            idleRefreshDays(provider)));
            reconnect.set(r.reconnect());
            return r.error();
        } catch (RuntimeException e) {
            LOG.warnf("connection %s for %s could not be stored: %s", ApiError.shown(cid), provider, e.getClass().getSimpleName());
            return "store_failed";
        }
    }

}
