package io.kcconnections.connect.login;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.AbstractOAuth2IdentityProvider;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.util.JsonSerialization;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.connection.ConnectionWriter;
import io.kcconnections.connect.connection.Inputs;

/**
 * Identity provider mapper "connect at login": a login through the identity provider also stores the provider's
 * tokens as a connection of the user (connection id {@code login-<provider>-<user id>}), encrypted and refreshed like
 * any other. The login's token response is taken out of the login context before Keycloak would store it in the
 * federated identity, so it is never kept in plain text. Added by the login sync to the identity providers it manages
 * when connect at login is on; an admin may add it to any identity provider named after a catalog provider.
 */
public final class LoginConnectionMapper extends AbstractIdentityProviderMapper {

    private static final Logger LOG = Logger.getLogger(LoginConnectionMapper.class);
    public static final String PROVIDER_ID = "kc-connections-login-connection";
    /** The provider of the connection; default: the identity provider's alias. */
    public static final String PROVIDER = "provider";
    private static final String TOKEN_RESPONSE = "kc-connections.token-response";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String[] getCompatibleProviders() {
        return new String[]{ANY_PROVIDER};
    }

    @Override
    public String getDisplayCategory() {
        return "Token Importer";
    }

    @Override
    public String getDisplayType() {
        return "Store the login as a connection";
    }

    @Override
    public String getHelpText() {
        return "Stores the provider's tokens from each login as an encrypted, refreshed Keycloak Connections connection of the user.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        ProviderConfigProperty p = new ProviderConfigProperty(PROVIDER, "Provider", "The Keycloak Connections provider the"
                + " connection belongs to; empty: the identity provider's alias.", ProviderConfigProperty.STRING_TYPE, null);
        return List.of(p);
    }

    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return true;
    }

    /** Runs before Keycloak stores anything: moves the token response out of the context. */
    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, IdentityProviderMapperModel mapperModel,
                                            BrokeredIdentityContext context) {
        String raw = context.getToken();
        if (raw != null) {
            context.getContextData().put(TOKEN_RESPONSE, raw);
            context.setToken(null);
        }
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapperModel,
                              BrokeredIdentityContext context) {
        store(session, realm, user, mapperModel, context);
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapperModel,
                                   BrokeredIdentityContext context) {
        store(session, realm, user, mapperModel, context);
    }

    private void store(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapperModel,
                       BrokeredIdentityContext context) {
        String alias = mapperModel.getIdentityProviderAlias();
        String providerName = mapperModel.getConfig() == null ? null : mapperModel.getConfig().get(PROVIDER);
        if (providerName == null || providerName.isBlank()) {
            providerName = alias;
        }
        ConnectService connect = session.getProvider(ConnectService.class);
        ResolvedProvider provider = connect.registry().find(session, realm, providerName);
        if (provider == null) {
            LOG.warnf("connect at login (%s): provider %s is not configured in realm %s; no connection stored", alias,
                    providerName, realm.getName());
            return;
        }
        String raw = tokenResponse(context);
        if (raw == null) {
            LOG.warnf("connect at login (%s): the login carried no token response; no connection stored", alias);
            return;
        }
        String cid = Inputs.loginConnectionId(provider.name(), user.getId());
        try {
            TokenSet tokens = OAuthClient.tokenSetOf(provider.template(), raw);
            KeyRing ring = connect.keyRing(realm);
            Map<String, String> metadata = new LinkedHashMap<>(tokens.captured());
            OAuthClient.Account account = new OAuthClient.Account(context.getId(), context.getUsername(), context.getEmail());
            ClientModel app = context.getAuthenticationSession() == null ? null
                    : context.getAuthenticationSession().getClient();
            ConnectionWriter.Result r = connect.writer().write(realm, user.getId(), app, provider, cid, tokens, metadata,
                    account, ring);
            if (r.error() != null) {
                LOG.warnf("connect at login (%s): connection %s not stored: %s", alias, cid, r.error());
                return;
            }
            ConnectEvents.connected(session, realm, app, user.getId(), provider.name(), cid, r.reconnect());
            LOG.debugf("connect at login (%s): connection %s stored for user %s", alias, cid, user.getId());
        } catch (Exception e) {
            // The login itself goes on: the person can still connect through /connect/authorize.
            LOG.warnf("connect at login (%s): connection %s not stored: %s", alias, cid, e.getClass().getSimpleName());
        }
    }

    /** The login's token response: ours from preprocessing, or what Keycloak's OAuth 2.0 providers left in the context. */
    private static String tokenResponse(BrokeredIdentityContext context) {
        Object raw = context.getContextData().get(TOKEN_RESPONSE);
        if (raw instanceof String s) {
            return s;
        }
        try {
            Object oidc = context.getContextData().get(OIDCIdentityProvider.FEDERATED_ACCESS_TOKEN_RESPONSE);
            if (oidc instanceof AccessTokenResponse r) {
                return JsonSerialization.writeValueAsString(r);
            }
            Object access = context.getContextData().get(AbstractOAuth2IdentityProvider.FEDERATED_ACCESS_TOKEN);
            if (access instanceof String a) {
                return JsonSerialization.writeValueAsString(Map.of("access_token", a, "token_type", "Bearer"));
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
