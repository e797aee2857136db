package io.kcconnections.connect.connection;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.AuthorizationEndpointBase;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.Urls;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The realm's own browser login (its authentication flow, login theme, MFA, brokered login and required actions),
 * run the way Keycloak's authorization endpoint runs it, for the app's client, returning to a URL of this extension
 * once the person is signed in. The browser then carries Keycloak's SSO session, which is all the caller wants.
 */
final class BrowserLogin extends AuthorizationEndpointBase {

    BrowserLogin(KeycloakSession session) {
        super(session, new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection())
                .event(EventType.LOGIN));
    }

    /** The login page (or the next step of the flow) for {@code client}, coming back to {@code returnUrl}. */
    Response login(ClientModel client, String returnUrl) {
        checkSsl();
        checkRealm();
        event.client(client).detail("redirect_uri", returnUrl);
        AuthenticationSessionModel auth = createAuthenticationSession(client, null);
        auth.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        auth.setRedirectUri(returnUrl);
        auth.setAction(AuthenticationSessionModel.Action.AUTHENTICATE.name());
        auth.setClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM, "code");
        auth.setClientNote(OIDCLoginProtocol.REDIRECT_URI_PARAM, returnUrl);
        auth.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, "openid");
        auth.setClientNote(OIDCLoginProtocol.ISSUER,
                Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        return handleBrowserAuthenticationRequest(auth, new OIDCLoginProtocol(session, realm, session.getContext().getUri(),
                headers, event), false, false);
    }
}
