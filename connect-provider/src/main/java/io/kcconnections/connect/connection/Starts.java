package io.kcconnections.connect.connection;

import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.Pkce;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Step 2 of the connect path, <em>start</em>: the person opens the start URL an app (or a backend's connect link)
 * gave them, {@code /realms/{realm}/connect/start/{handle}}. Only the person it was made for goes on to the
 * provider, from a browser signed in to Keycloak as that person:
 * <ul>
 * <li>signed in as that person: the start ticket is taken (once) and the browser goes to the provider, with a state
 * bound to this browser's Keycloak session ({@link Callbacks} refuses a callback from any other);</li>
 * <li>not signed in: the realm's browser login runs, then comes back here;</li>
 * <li>signed in as someone else: an error page, an event, and the ticket stays for its person;</li>
 * <li>an unknown, expired or used handle: an error page.</li>
 * </ul>
 */
public final class Starts {

    private static final Logger LOG = Logger.getLogger(Starts.class);
    /** 32 random bytes, base64url ({@link Pkce#random}). */
    private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final ConnectService connect;

    Starts(ConnectService connect) {
        this.connect = connect;
    }

    /** Where the browser goes next. */
    public sealed interface Outcome {
    }

    /** To the provider's authorization page, or back to the app with an error. */
    public record Redirect(URI location) implements Outcome {
    }

    /** A themed page with this message key (no app to return to, or not this person's link). */
    public record Page(int status, String messageKey) implements Outcome {
    }

    /** Keycloak's login (a page of the realm's browser flow). */
    public record Login(Response response) implements Outcome {
    }

    static String url(ConnectService connect, String handle) {
        return base(connect).path("start").path(handle).build().toString();
    }

    /** The page a browser ends on when a connect link names no redirect URI. */
    static String donePage(ConnectService connect) {
        return base(connect).path("done").build().toString();
    }

    private static UriBuilder base(ConnectService connect) {
        KeycloakSession session = connect.session();
        return Urls.realmBase(session.getContext().getUri().getBaseUri()).path(connect.realm().getName()).path("connect");
    }

    public Outcome open(String handle) {
        KeycloakSession session = connect.session();
        RealmModel realm = connect.realm();
        PendingAuthorization ticket = handle == null || !HANDLE.matcher(handle).matches() ? null
                : AuthorizationStates.peekStart(session, handle);
        if (ticket == null || !realm.getId().equals(ticket.realmId())) {
            return new Page(400, "connectLinkInvalid");
        }
        AuthenticationManager.AuthResult who = AuthenticationManager.authenticateIdentityCookie(session, realm, true);
        if (who == null) {
            ClientModel client = realm.getClientByClientId(ticket.clientId());
            if (client == null || !client.isEnabled()) {
                return new Page(400, "connectLinkInvalid");
            }
            return new Login(new BrowserLogin(session).login(client, url(connect, handle)));
        }
        if (!who.user().getId().equals(ticket.userId())) {
            LOG.infof("start of connection %s: opened by another user than the one it was made for",
                    Inputs.shown(ticket.connectionId()));
            ConnectEvents.connectFailed(session, realm, ticket.clientId(), who.user().getId(), ticket.provider(),
                    ticket.connectionId(), "wrong_account");
            return new Page(403, "connectLinkOtherAccount");
        }
        PendingAuthorization taken = AuthorizationStates.takeStart(session, handle);
        if (taken == null) {
            return new Page(400, "connectLinkInvalid");
        }
        return toProvider(taken, who.session().getId());
    }

    /** Binds the authorization to this browser's session, keeps it under a fresh state, and sends the browser off. */
    private Outcome toProvider(PendingAuthorization ticket, String browserSession) {
        ResolvedProvider provider = connect.authorizations().providerOf(ticket);
        if (provider == null) {
            ConnectEvents.connectFailed(connect.session(), connect.realm(), ticket.clientId(), ticket.userId(),
                    ticket.provider(), ticket.connectionId(), "provider_not_configured");
            return new Redirect(Callbacks.errorLocation(ticket, "provider_not_configured"));
        }
        KeyRing ring;
        try {
            ring = connect.keyRing();
        } catch (ConnectError e) {
            return new Page(503, "connectUnavailable");
        }
        String state = Pkce.random(32);
        String verifier = provider.pkce() ? Pkce.verifier() : null;
        PendingAuthorization started = ticket.startedIn(browserSession,
                verifier == null ? null : ring.encrypt(verifier, AuthorizationStates.aad(state)));
        AuthorizationStates.put(connect.session(), state, started, connect.settings().stateTtlSeconds());
        String url = connect.oauth().authorizeUrl(provider, connect.realm(),
                connect.authorizations().callbackUri(provider.name()), state,
                verifier == null ? null : Pkce.challenge(verifier), ticket.scopes());
        return new Redirect(URI.create(url));
    }
}
