package io.kcconnections.connect.login;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.UserAuthenticationIdentityProvider.AuthenticationCallback;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.Urls;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;

/**
 * The broker endpoint ({@code /realms/{realm}/broker/{alias}/endpoint}) of a {@link CatalogIdentityProvider}: the
 * provider's answer as a query ({@code GET}) or, for {@code form_post} providers such as Apple, a form ({@code POST}).
 * The state is Keycloak's (it finds the authentication session); the provider's hook checks the callback; the code is
 * exchanged and the account looked up by {@link OAuthClient}, as for a connection. No token is logged.
 */
public final class CatalogBrokerEndpoint {

    private static final Logger LOG = Logger.getLogger(CatalogBrokerEndpoint.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthenticationCallback callback;
    private final EventBuilder event;
    private final CatalogIdentityProvider idp;

    CatalogBrokerEndpoint(KeycloakSession session, RealmModel realm, AuthenticationCallback callback, EventBuilder event,
                          CatalogIdentityProvider idp) {
        this.session = session;
        this.realm = realm;
        this.callback = callback;
        this.event = event;
        this.idp = idp;
    }

    @GET
    public Response query() {
        return finish(new LinkedHashMap<>(session.getContext().getUri().getQueryParameters()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response form(MultivaluedMap<String, String> form) {
        return finish(new LinkedHashMap<>(form));
    }

    private Response finish(Map<String, List<String>> params) {
        String state = one(params, "state");
        if (state == null) {
            return fail(Response.Status.BAD_REQUEST, Messages.IDENTITY_PROVIDER_MISSING_STATE_ERROR, "no state");
        }
        try {
            AuthenticationSessionModel authSession = callback.getAndVerifyAuthenticationSession(state);
            session.getContext().setAuthenticationSession(authSession);
            String error = one(params, "error");
            if (error != null) {
                return "access_denied".equals(error) ? callback.cancelled(idp.getConfig())
                        : callback.error(idp.getConfig(), Messages.IDENTITY_PROVIDER_UNEXPECTED_ERROR);
            }
            String code = one(params, "code");
            ResolvedProvider p = idp.provider(realm);
            if (code == null || p == null) {
                return fail(Response.Status.BAD_REQUEST, Messages.IDENTITY_PROVIDER_MISSING_CODE_OR_ERROR_ERROR,
                        p == null ? "provider not offered for login" : "no code");
            }
            BrokeredIdentityContext context = identify(p, authSession, params, code);
            return context == null
                    ? fail(Response.Status.BAD_GATEWAY, Messages.IDENTITY_PROVIDER_UNEXPECTED_ERROR, "account not identified")
                    : callback.authenticated(context);
        } catch (jakarta.ws.rs.WebApplicationException e) {
            return e.getResponse();
        } catch (ProviderCallException e) {
            return fail(Response.Status.BAD_GATEWAY, Messages.IDENTITY_PROVIDER_UNEXPECTED_ERROR,
                    "code exchange failed (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            return fail(Response.Status.BAD_GATEWAY, Messages.IDENTITY_PROVIDER_UNEXPECTED_ERROR,
                    "login failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The code exchange and account lookup; null when the hook refuses the callback or no account id comes back. */
    private BrokeredIdentityContext identify(ResolvedProvider p, AuthenticationSessionModel authSession,
                                             Map<String, List<String>> params, String code) throws ProviderCallException {
        OAuthClient oauth = idp.oauth();
        String refused = oauth.verifyCallback(p, realm, params);
        if (refused != null) {
            LOG.warnf("login through %s: callback refused: %s", p.name(), refused);
            return null;
        }
        String redirectUri = Urls.identityProviderAuthnResponse(session.getContext().getUri().getBaseUri(),
                idp.getConfig().getAlias(), realm.getName()).toString();
        String verifier = authSession.getClientNote(CatalogIdentityProvider.VERIFIER_NOTE);
        TokenSet tokens = oauth.exchangeCode(p, realm, code, redirectUri, verifier, idp.scopes(p));
        LoginIdentity who = LoginIdentity.of(p.name(), oauth.account(p, realm, tokens), p.template().callbackCapture(), params);
        if (who == null) {
            return null;
        }
        BrokeredIdentityContext context = new BrokeredIdentityContext(who.id(), idp.getConfig());
        context.setUsername(who.username());
        context.setEmail(who.email());
        context.setFirstName(who.firstName());
        context.setLastName(who.lastName());
        context.getContextData().put(CatalogIdentityProvider.EMAIL_VERIFIED, who.emailVerified());
        if (Boolean.TRUE.equals(idp.getConfig().isStoreToken())) {
            context.setToken(tokens.raw()); // the connect-at-login mapper takes it out before Keycloak would store it
        }
        context.setIdp(idp);
        context.setAuthenticationSession(authSession);
        return context;
    }

    private Response fail(Response.Status status, String message, String why) {
        LOG.infof("login through %s failed: %s", idp.getConfig().getAlias(), why);
        event.event(EventType.IDENTITY_PROVIDER_LOGIN);
        event.error(Errors.IDENTITY_PROVIDER_LOGIN_FAILURE);
        return ErrorPage.error(session, null, status, message);
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.size() != 1 || v.get(0).isBlank() ? null : v.get(0);
    }
}
