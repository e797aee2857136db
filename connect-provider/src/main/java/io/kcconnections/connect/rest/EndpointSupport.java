package io.kcconnections.connect.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.ConnectService;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import org.keycloak.common.util.KeycloakUriBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.Urls;

/** What every {@code /connect} endpoint shares: the session, the realm, the runtime, and small helpers. */
abstract class EndpointSupport {

    static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}");
    private static final String STATE_PREFIX = "kcconnect.state.";
    /** Prefix of the state notes carrying the connection's per-connection parameter values. */
    static final String CONNECTION_VALUE_NOTE = "param.";

    protected final KeycloakSession session;
    protected final RealmModel realm;
    protected final ConnectService connect;

    EndpointSupport(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.connect = session.getProvider(ConnectService.class);
    }

    protected KeyRing keyRing() throws ApiError {
        try {
            return connect.keyRing(realm);
        } catch (KeyRingSource.KeyUnavailableException e) {
            throw new ApiError(503, "encryption_unavailable",
                    "token encryption is not configured on this server; see the server log");
        }
    }

    protected ResolvedProvider provider(String name) throws ApiError {
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

    /** Connections with this id in the realm (of one provider when named); validates both values. */
    protected List<io.kcconnections.connect.store.Connection> lookup(String connectionId, String providerName) throws ApiError {
        if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
            throw ApiError.badRequest("invalid_request", "connection_id is malformed");
        }
        if (providerName != null && !providerName.isBlank()) {
            if (!PROVIDER_NAME.matcher(providerName).matches()) {
                throw ApiError.badRequest("invalid_request", "provider is malformed");
            }
            return connect.store().find(realm.getId(), providerName, connectionId).map(List::of).orElse(List.of());
        }
        return connect.store().findByConnectionId(realm.getId(), connectionId);
    }

    /** The connection id an app asked for, or a new UUID when it gave none; 400 when it is malformed. */
    static String newConnectionId(String given) throws ApiError {
        String cid = given == null || given.isBlank() ? java.util.UUID.randomUUID().toString() : given.trim();
        if (!CONNECTION_ID.matcher(cid).matches()) {
            throw ApiError.badRequest("invalid_request",
                    "connection_id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return cid;
    }

    /** Whether the caller is a service account holding the token-reader role. */
    protected boolean isReader(org.keycloak.services.managers.AuthenticationManager.AuthResult auth) {
        return CallerAuth.isServiceAccount(auth.user())
                && CallerAuth.hasRealmRole(auth.token(), connect.settings().tokenReaderRole());
    }

    /**
     * The one connection the caller may see under this id: the caller's own, or any when {@code readersToo} and the
     * caller holds the reader role. 403 when it exists but belongs to someone else, 404 when nothing is stored.
     */
    protected io.kcconnections.connect.store.Connection visible(org.keycloak.services.managers.AuthenticationManager.AuthResult auth,
            String connectionId, String providerName, boolean readersToo) throws ApiError {
        List<io.kcconnections.connect.store.Connection> found = lookup(connectionId, providerName);
        boolean reader = readersToo && isReader(auth);
        List<io.kcconnections.connect.store.Connection> mine = found.stream()
                .filter(c -> reader || owns(auth, c)).toList();
        if (mine.isEmpty()) {
            if (!found.isEmpty()) {
                throw ApiError.forbidden("access_denied", "this connection belongs to another owner");
            }
            throw ApiError.notFound("no connection " + ApiError.shown(connectionId) + " is stored"
                    + (providerName == null ? "" : " for provider " + ApiError.shown(providerName)));
        }
        if (mine.size() > 1) {
            throw ApiError.badRequest("ambiguous_connection", "several providers have this connection_id: pass provider");
        }
        return mine.get(0);
    }

    /** The caller owns a connection: its person, or, for a client-owned one, the owning client's service account. */
    static boolean owns(org.keycloak.services.managers.AuthenticationManager.AuthResult auth,
                        io.kcconnections.connect.store.Connection c) {
        if (c.clientOwned()) {
            return c.ownerClient().equals(auth.user().getServiceAccountClientLink());
        }
        return auth.user().getId().equals(c.userId());
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

    protected String callbackUri(String provider) {
        return Urls.realmBase(session.getContext().getUri().getBaseUri()).path(realm.getName())
                .path("connect").path("callback").path(provider).build().toString();
    }

    static String stateKey(String state) {
        return STATE_PREFIX + sha256(state);
    }

    static String stateAad(String state) {
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

    protected Response errorPage(String messageKey) {
        return ErrorPage.error(session, null, Response.Status.BAD_REQUEST, messageKey);
    }

    static Response redirectError(String redirect, String cid, String error) {
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

    static String truncate(String s) {
        return s == null || s.length() <= 255 ? s : s.substring(0, 255);
    }
}
