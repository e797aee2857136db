package io.kcconnections.connect.login;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.Response;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.AuthenticationRequest;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityBrokerException;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.Pkce;

/**
 * Keycloak identity provider type {@code kc-connections}: signs people in through a catalog provider with the very
 * requests a connection makes ({@link OAuthClient}): client authentication, body format, token headers, the token
 * answer's path, PKCE, {@code form_post} callbacks and the provider's hook (Sign in with Apple's client-secret JWT)
 * all apply, and the account is found as the template's {@code account:} says (userinfo, ID token or the token
 * answer). The client credentials stay in the extension's configuration of the provider (realm component or
 * environment): this identity provider's configuration names the provider ({@link #PROVIDER}), nothing secret.
 * <p>
 * Email: taken only when the provider's own flag says it is verified ({@code account.emailVerified}); the user is then
 * created with it verified. Without the flag the email is not imported at all (Keycloak's first-login flow asks the
 * person for one and verifies it as for any registration).
 */
public final class CatalogIdentityProvider extends AbstractIdentityProvider<IdentityProviderModel> {

    public static final String PROVIDER_ID = "kc-connections";
    /** Configuration key: the catalog provider's name (default: the alias). */
    public static final String PROVIDER = "kcConnections.provider";
    /** Authentication session note: the PKCE verifier of the login under way. */
    static final String VERIFIER_NOTE = "kcConnections.loginVerifier";
    /** Context data: the email was verified by the provider. */
    static final String EMAIL_VERIFIED = "kcConnections.emailVerified";

    public CatalogIdentityProvider(KeycloakSession session, IdentityProviderModel config) {
        super(session, config);
    }

    /** The provider as configured in the realm now (a change needs no restart); null when it is not usable. */
    ResolvedProvider provider(RealmModel realm) {
        String name = getConfig().getConfig().get(PROVIDER);
        name = name == null || name.isBlank() ? getConfig().getAlias() : name;
        ResolvedProvider p = session.getProvider(ConnectService.class).registry().find(session, realm, name);
        return p == null || !p.loginEnabled() ? null : p;
    }

    OAuthClient oauth() {
        return session.getProvider(ConnectService.class).oauth();
    }

    /** The scopes of a login: the identity provider's own setting, else the template's login scopes, else the defaults. */
    List<String> scopes(ResolvedProvider p) {
        String own = getConfig().getConfig().get("defaultScope");
        if (own != null && !own.isBlank()) {
            return List.of(own.trim().split("\\s+"));
        }
        return !p.template().login().scopes().isEmpty() ? p.template().login().scopes() : p.scopes(null);
    }

    @Override
    public Response performLogin(AuthenticationRequest request) {
        ResolvedProvider p = provider(request.getRealm());
        if (p == null) {
            throw new IdentityBrokerException("provider " + getConfig().getAlias() + " is not offered for login in this realm");
        }
        String challenge = null;
        if (p.pkce()) {
            String verifier = Pkce.verifier();
            request.getAuthenticationSession().setClientNote(VERIFIER_NOTE, verifier);
            challenge = Pkce.challenge(verifier);
        }
        String url = oauth().authorizeUrl(p, request.getRealm(), request.getRedirectUri(),
                request.getState().getEncoded(), challenge, scopes(p));
        return Response.seeOther(URI.create(url)).build();
    }

    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        return new CatalogBrokerEndpoint(session, realm, callback, event, this);
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user, BrokeredIdentityContext context) {
        super.importNewUser(session, realm, user, context);
        markVerifiedByProvider(user, context);
    }

    /** Keycloak's update after the import sets "verified" from the admin's Trust email; the provider's flag counts too. */
    @Override
    protected void setEmailVerified(UserModel user, BrokeredIdentityContext context) {
        super.setEmailVerified(user, context);
        markVerifiedByProvider(user, context);
    }

    /** The user's email is verified when it is the one the provider said it verified. */
    private static void markVerifiedByProvider(UserModel user, BrokeredIdentityContext context) {
        if (Boolean.TRUE.equals(context.getContextData().get(EMAIL_VERIFIED)) && context.getEmail() != null
                && context.getEmail().equalsIgnoreCase(user.getEmail())) {
            user.setEmailVerified(true);
        }
    }

    @Override
    public void authenticationFinished(AuthenticationSessionModel authSession, BrokeredIdentityContext context) {
        authSession.removeClientNote(VERIFIER_NOTE);
    }

    /** Provider tokens are a connection's business ({@code /connect/token}), never the broker token API's. */
    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity) {
        return exchangeNotSupported();
    }

    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity, UserSessionModel userSession,
                                  UserModel user) {
        return exchangeNotSupported();
    }
}
