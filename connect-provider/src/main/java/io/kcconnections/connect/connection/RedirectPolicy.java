package io.kcconnections.connect.connection;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import io.kcconnections.connect.config.ConnectSettings;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.utils.RedirectUtils;

/**
 * Where an app may have the browser sent after a connect: one of the calling client's registered redirect URIs
 * (Keycloak's own matching, wildcards included), https unless loopback or a private-use scheme, and on an allowed
 * host when {@code CONNECT_REDIRECT_ALLOW_HOSTS} is set.
 */
public final class RedirectPolicy {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    /** The parameters the callback adds: an app's URI carrying them could pass a failure off as a success. */
    private static final Set<String> OUR_PARAMS = Set.of("success", "error", "connection_id");
    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "file", "vbscript", "blob", "about", "ftp");

    private RedirectPolicy() {
    }

    /** @return the redirect URI to use (Keycloak may normalise it) */
    public static String check(KeycloakSession session, ClientModel client, String requested, ConnectSettings settings)
            throws ConnectError {
        String uri = requested != null && !requested.isBlank() ? requested.trim() : settings.defaultRedirectUri();
        if (uri == null) {
            throw ConnectError.badRequest("invalid_request", "redirect_uri is required");
        }
        if (uri.length() > 2048) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri is too long");
        }
        URI u;
        try {
            u = new URI(uri);
        } catch (Exception e) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri is not a valid URI");
        }
        if (!u.isAbsolute() || u.getRawFragment() != null) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri must be absolute and without a fragment");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (FORBIDDEN_SCHEMES.contains(scheme)) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri scheme is not allowed");
        }
        boolean web = scheme.equals("http") || scheme.equals("https");
        String host = u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
        if (web && host == null) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri has no host");
        }
        if (scheme.equals("http") && !LOOPBACK.contains(host)) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri must use https (http only for localhost)");
        }
        if (web && !settings.redirectAllowHosts().isEmpty() && !settings.redirectAllowHosts().contains(host)) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri host is not in the allowed hosts");
        }
        if (u.getRawQuery() != null) {
            for (String pair : u.getRawQuery().split("&")) {
                String name = pair.split("=", 2)[0];
                if (OUR_PARAMS.contains(name)) {
                    throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri must not carry " + name
                            + ": Keycloak adds success, error and connection_id itself");
                }
            }
        }
        String verified = RedirectUtils.verifyRedirectUri(session, uri, client);
        if (verified == null) {
            throw ConnectError.badRequest("invalid_redirect_uri", "redirect_uri is not registered for client "
                    + Inputs.shown(client.getClientId()));
        }
        return verified;
    }
}
