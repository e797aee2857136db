package io.kcconnections.connect.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.ConnectService;
import io.kcconnections.connect.ConnectSettings;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.crypto.TokenCodec;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.Pkce;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.refresh.Refresher;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.ConnectionStore;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.common.util.KeycloakUriBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code /realms/{realm}/connect}: start a connection, receive the provider's callback, hand out tokens.
 */
public class ConnectResource {

    private static final Logger LOG = Logger.getLogger(ConnectResource.class);
    static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}");
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String STATE_PREFIX = "kcconnect.state.";
    private static final long TOUCH_GRANULARITY_MILLIS = 3_600_000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ConnectService connect;

    public ConnectResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.connect = session.getProvider(ConnectService.class);
    }

    // ---------------------------------------------------------------- authorize

    @GET
    @Path("authorize")
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorize(@QueryParam("provider") String providerName,
                              @QueryParam("connection_id") String connectionId,
                              @QueryParam("redirect_uri") String redirectUri,
                              @QueryParam("scopes") String scopes) {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            KeyRing ring = keyRing();
            if (CallerAuth.isServiceAccount(auth.user())) {
                throw ApiError.forbidden("user_token_required", "a connection is made for a person: use a user's access token");
            }
            ResolvedProvider provider = provider(providerName);
            String cid = connectionId == null || connectionId.isBlank() ? UUID.randomUUID().toString() : connectionId.trim();
            if (!CONNECTION_ID.matcher(cid).matches()) {
                throw ApiError.badRequest("invalid_request",
                        "connection_id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
            }
            Connection existing = connect.store().find(realm.getId(), provider.name(), cid).orElse(null);
            if (existing != null && !auth.user().getId().equals(existing.userId())) {
                throw ApiError.forbidden("connection_id_in_use", "connection_id belongs to another owner");
            }
            List<String> requested = parseScopes(scopes);
            ConnectSettings settings = connect.settings();
            String redirect = RedirectPolicy.check(session, auth.client(), redirectUri, settings);

            String state = Pkce.random(32);
            String verifier = provider.pkce() ? Pkce.verifier() : null;
            List<String> effectiveScopes = provider.scopes(requested);
            Map<String, String> notes = new HashMap<>();
            notes.put("realm", realm.getId());
            notes.put("user", auth.user().getId());
            notes.put("client", auth.client().getClientId());
            notes.put("provider", provider.name());
            notes.put("connection", cid);
            notes.put("redirect", redirect);
            notes.put("scopes", String.join(" ", effectiveScopes));
            if (verifier != null) {
                notes.put("verifier", ring.encrypt(verifier, stateAad(state)));
            }
            session.singleUseObjects().put(stateKey(state), settings.stateTtlSeconds(), notes);

            String url = connect.oauth().authorizeUrl(provider, realm, callbackUri(provider.name()), state,
                    verifier == null ? null : Pkce.challenge(verifier), effectiveScopes);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("authorize_url", url);
            body.put("connection_id", cid);
            body.put("provider", provider.name());
            body.put("expires_in", settings.stateTtlSeconds());
            return json(200, body);
        } catch (ApiError e) {
            return e.toResponse();
        }
    }

    // ---------------------------------------------------------------- callback

    @GET
    @Path("callback/{provider}")
    public Response callbackGet(@PathParam("provider") String providerName) {
        return callback(providerName, session.getContext().getUri().getQueryParameters());
    }

    @POST
    @Path("callback/{provider}")
    public Response callbackPost(@PathParam("provider") String providerName) {
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
            return redirectError(redirect, cid, "provider_mismatch");
        }
        String providerError = params.getFirst("error");
        if (providerError != null) {
            String code = providerError.matches("[a-z_]{1,64}") ? providerError : "provider_error";
            LOG.infof("connect callback for %s: the provider answered error=%s", providerName, code);
            return redirectError(redirect, cid, "access_denied".equals(code) ? code : "provider_error");
        }
        String code = params.getFirst("code");
        if (code == null || code.isBlank()) {
            return redirectError(redirect, cid, "missing_code");
        }
        UserModel user = session.users().getUserById(realm, notes.get("user"));
        if (user == null || !user.isEnabled()) {
            return redirectError(redirect, cid, "user_not_found");
        }
        ResolvedProvider provider = connect.registry().find(session, realm, providerName);
        if (provider == null) {
            return redirectError(redirect, cid, "provider_not_configured");
        }
        KeyRing ring;
        String verifier;
        try {
            ring = connect.keyRing(realm);
            verifier = notes.containsKey("verifier") ? ring.decrypt(notes.get("verifier"), stateAad(state)) : null;
        } catch (KeyRingSource.KeyUnavailableException | KeyRing.DecryptionException e) {
            LOG.errorf("connect callback for %s: %s", providerName, e.getMessage());
            return redirectError(redirect, cid, "server_error");
        }
        List<String> scopes = List.of(notes.getOrDefault("scopes", "").split(" ")).stream().filter(s -> !s.isEmpty()).toList();
        OAuthClient oauth = connect.oauth();
        TokenSet tokens;
        try {
            tokens = oauth.exchangeCode(provider, realm, code, callbackUri(providerName), verifier, scopes);
        } catch (ProviderCallException e) {
            LOG.warnf("connect callback for %s: code exchange failed: %s", providerName, e.getMessage());
            return redirectError(redirect, cid, "token_exchange_failed");
        }
        Map<String, String> metadata = new LinkedHashMap<>(tokens.captured());
        for (String name : provider.template().callbackCapture()) {
            String v = params.getFirst(name);
            if (v != null && v.length() <= 256 && v.chars().noneMatch(ch -> ch < 0x20)) {
                metadata.put(name, v);
            }
        }
        OAuthClient.Account account = oauth.account(provider, realm, tokens);
        String outcome = store(user, provider.name(), cid, tokens, metadata, account, ring);
        if (outcome != null) {
            return redirectError(redirect, cid, outcome);
        }
        LOG.infof("connection %s stored for provider %s (user %s)", ApiError.shown(cid), providerName, user.getId());
        return Response.status(302).location(KeycloakUriBuilder.fromUri(redirect)
                .queryParam("success", "true").queryParam("connection_id", cid).build()).build();
    }

    /** Inserts or, on reconnect, replaces; in its own transaction so a lost race is an error redirect, not a 500. */
    private String store(UserModel user, String provider, String cid, TokenSet tokens, Map<String, String> metadata,
                         OAuthClient.Account account, KeyRing ring) {
        int window = connect.settings().refreshWindowSeconds();
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
                ConnectionStore store = new ConnectionStore(s);
                Connection existing = store.find(realm.getId(), provider, cid).orElse(null);
                long now = System.currentTimeMillis();
                Long refreshAt = TokenCodec.refreshAt(tokens.expiresAt(), tokens.refreshToken() != null, window);
                String accountId = account == null ? null : truncate(account.id());
                String accountName = account == null ? null : truncate(account.name() != null ? account.name() : account.email());
                if (existing != null) {
                    if (!user.getId().equals(existing.userId())) {
                        return "connection_id_in_use";
                    }
                    TokenColumns cols = TokenCodec.encrypt(ring, realm.getId(), existing.id(), tokens,
                            TokenCodec.merge(existing.metadata(), metadata), refreshAt);
                    store.replaceAfterConsent(existing.id(), accountId, accountName, cols, now);
                    return null;
                }
                String id = UUID.randomUUID().toString();
                TokenColumns cols = TokenCodec.encrypt(ring, realm.getId(), id, tokens, metadata, refreshAt);
                store.insert(new Connection(id, realm.getId(), user.getId(), provider, cid, accountId, accountName,
                        cols.accessTokenCiphertext(), cols.refreshTokenCiphertext(), cols.rawTokenCiphertext(),
                        cols.keyId(), cols.tokenType(), cols.scopes(), cols.metadata(), cols.expiresAt(),
                        ConnectionStatus.ACTIVE, null, 0, refreshAt, now, null, null, now, now, null, null, 0));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warnf("connection %s for %s could not be stored: %s", ApiError.shown(cid), provider, e.getClass().getSimpleName());
            return "store_failed";
        }
    }

    // ---------------------------------------------------------------- token

    @GET
    @Path("token/{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@PathParam("connection_id") String connectionId, @QueryParam("provider") String providerName) {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            KeyRing ring = keyRing();
            Connection c = findReadable(auth, connectionId, providerName);
            if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
                throw needsReauth(c);
            }
            long now = System.currentTimeMillis();
            long margin = marginMillis(c);
            if (Refresher.due(c, now, margin)) {
                c = refreshForRead(c, now);
            } else if (c.expiresAt() != null && c.expiresAt() <= now && !c.hasRefreshToken()) {
                connect.store().markNeedsReauth(c.id(), "expired_without_refresh_token", now);
                throw new ApiError(409, "needs_reauth", "the token expired and the provider gave no refresh token: connect again");
            }
            String access;
            try {
                access = TokenCodec.accessToken(ring, c);
            } catch (KeyRing.DecryptionException e) {
                LOG.errorf("connection %s: access token cannot be decrypted: %s", c.id(), e.getMessage());
                throw new ApiError(500, "decryption_failed", "the stored token cannot be decrypted with the configured keys");
            }
            connect.store().touch(c.id(), now, TOUCH_GRANULARITY_MILLIS);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", access);
            body.put("token_type", c.tokenType() == null ? "Bearer" : c.tokenType());
            body.put("expires_at", c.expiresAt() == null ? null : Instant.ofEpochMilli(c.expiresAt()).toString());
            body.put("expires_in", c.expiresAt() == null ? null : Math.max(0, (c.expiresAt() - now) / 1000));
            body.put("scopes", c.scopes());
            body.put("connection_id", c.connectionId());
            body.put("provider", c.provider());
            body.put("account_id", c.accountId());
            body.put("metadata", c.metadata());
            return json(200, body);
        } catch (ApiError e) {
            return e.toResponse();
        }
    }

    private Connection refreshForRead(Connection c, long now) throws ApiError {
        Refresher.Outcome o = connect.refresher().refresh(session, realm, c, false);
        Connection after = o.connection() == null ? c : o.connection();
        if (o instanceof Refresher.Refreshed) {
            return after;
        }
        if (o instanceof Refresher.Failed f && f.error().kind() == ProviderCallException.Kind.PERMANENT) {
            throw needsReauth(after);
        }
        // Transient failure or another node still busy: the current token is fine while it has not expired.
        if (after.expiresAt() != null && after.expiresAt() > System.currentTimeMillis()) {
            return after;
        }
        String reason = o instanceof Refresher.Failed f ? f.error().getMessage() : "a refresh is still in progress";
        throw new ApiError(502, "refresh_failed", "the token expired and could not be refreshed: " + reason)
                .header("Retry-After", "5");
    }

    private static ApiError needsReauth(Connection c) {
        return new ApiError(409, "needs_reauth", "the provider no longer accepts this connection's grant ("
                + ApiError.shown(c.statusReason() == null ? "revoked" : c.statusReason()) + "): connect again");
    }

    private long marginMillis(Connection c) {
        ResolvedProvider p = connect.registry().find(session, realm, c.provider());
        Integer perProvider = p == null ? null : p.template().refreshMarginSeconds();
        return (perProvider != null ? perProvider : connect.settings().refreshMarginSeconds()) * 1000L;
    }

    /** The connection if the caller may read its token: its owner, or a service account holding the reader role. */
    private Connection findReadable(AuthenticationManager.AuthResult auth, String connectionId, String providerName)
            throws ApiError {
        if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
            throw ApiError.badRequest("invalid_request", "connection_id is malformed");
        }
        List<Connection> found;
        if (providerName != null && !providerName.isBlank()) {
            if (!PROVIDER_NAME.matcher(providerName).matches()) {
                throw ApiError.badRequest("invalid_request", "provider is malformed");
            }
            found = connect.store().find(realm.getId(), providerName, connectionId).map(List::of).orElse(List.of());
        } else {
            found = connect.store().findByConnectionId(realm.getId(), connectionId);
        }
        boolean reader = CallerAuth.isServiceAccount(auth.user())
                && CallerAuth.hasRealmRole(auth.token(), connect.settings().tokenReaderRole());
        List<Connection> visible = new ArrayList<>();
        for (Connection c : found) {
            if (reader || auth.user().getId().equals(c.userId())) {
                visible.add(c);
            }
        }
        if (visible.isEmpty()) {
            if (!found.isEmpty()) {
                throw ApiError.forbidden("access_denied", "this connection belongs to another user");
            }
            throw ApiError.notFound("no connection " + ApiError.shown(connectionId) + " is stored"
                    + (providerName == null ? "" : " for provider " + ApiError.shown(providerName)));
        }
        if (visible.size() > 1) {
            throw ApiError.badRequest("ambiguous_connection", "several providers have this connection_id: pass provider");
        }
        return visible.get(0);
    }

    // ---------------------------------------------------------------- helpers

    private KeyRing keyRing() throws ApiError {
        try {
            return connect.keyRing(realm);
        } catch (KeyRingSource.KeyUnavailableException e) {
            throw new ApiError(503, "encryption_unavailable",
                    "token encryption is not configured on this server; see the server log");
        }
    }

    private ResolvedProvider provider(String name) throws ApiError {
        if (name == null || name.isBlank()) {
            throw ApiError.badRequest("invalid_request", "provider is required");
        }
        if (!PROVIDER_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("unknown_provider", "provider is malformed");
        }
        ResolvedProvider p = connect.registry().find(session, realm, name);
        if (p == null) {
            throw ApiError.badRequest("unknown_provider", "provider " + ApiError.shown(name) + " is not configured in this realm");
        }
        return p;
    }

    static List<String> parseScopes(String scopes) throws ApiError {
        List<String> out = new ArrayList<>();
        if (scopes == null || scopes.isBlank()) {
            return out;
        }
        for (String s : scopes.trim().split("[,\\s]+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw ApiError.badRequest("invalid_scope", "scopes contain a character OAuth does not allow");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        if (out.size() > 50) {
            throw ApiError.badRequest("invalid_scope", "at most 50 scopes");
        }
        return out;
    }

    private String callbackUri(String provider) {
        return Urls.realmBase(session.getContext().getUri().getBaseUri()).path(realm.getName())
                .path("connect").path("callback").path(provider).build().toString();
    }

    static String stateKey(String state) {
        return STATE_PREFIX + sha256(state);
    }

    private static String stateAad(String state) {
        return "kc-connections/v1|state|" + sha256(state);
    }

    private static String sha256(String s) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response errorPage(String messageKey) {
        return ErrorPage.error(session, null, Response.Status.BAD_REQUEST, messageKey);
    }

    private static Response redirectError(String redirect, String cid, String error) {
        KeycloakUriBuilder b = KeycloakUriBuilder.fromUri(redirect).queryParam("error", error);
        if (cid != null) {
            b.queryParam("connection_id", cid);
        }
        return Response.status(302).location(b.build()).build();
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .cacheControl(ApiError.noStore()).header("Pragma", "no-cache").build();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 255 ? s : s.substring(0, 255);
    }
}
