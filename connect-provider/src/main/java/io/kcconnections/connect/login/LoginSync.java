package io.kcconnections.connect.login;

import org.keycloak.Config;
import org.keycloak.broker.social.SocialIdentityProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.keycloak.broker.provider.IdentityProvider;
import org.keycloak.broker.provider.IdentityProviderFactory;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.RealmModel;

import io.kcconnections.connect.catalog.LoginSupport;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.net.OutboundRequest;
import io.kcconnections.connect.spi.template.ClientAuthMethod;
import io.kcconnections.connect.spi.template.LoginSpec;

/**
 * Keeps a realm's Keycloak identity providers in step with the providers offered for login: one identity provider per
 * login-enabled provider, named after it, of Keycloak's built-in social type where the catalog names one, else
 * {@code oidc} (endpoints from the issuer's discovery document) or {@code oauth2} (a userinfo URL and claims), and for
 * every other entry that identifies a person the extension's own type {@code kc-connections}
 * ({@link CatalogIdentityProvider}: the connect flow's requests, hooks and account lookup, no secret in the identity
 * provider). Keycloak's types use the same client credentials as the connections; a vault reference stays a
 * reference, and a secret of the environment goes into a realm only as a vault reference ({@link LoginSecrets}).
 * <p>
 * What this creates carries {@link #MANAGED} in its configuration. An identity provider with the same alias that
 * lacks it was made by someone else: reported as a conflict and never touched. Turning login off removes only managed
 * identity providers. Every generated identity provider passes its Keycloak factory's own validation first.
 */
public final class LoginSync {

    private static final Logger LOG = Logger.getLogger(LoginSync.class);

    /** Configuration key marking an identity provider this extension manages. */
    public static final String MANAGED = "kcConnections.managed";
    /** Name of the connect-at-login mapper on a managed identity provider. */
    public static final String MAPPER_NAME = "kc-connections: store the login as a connection";

    /** Marks a managed identity provider that the sync disabled because login went off (not an admin's choice). */
    public static final String DISABLED_BY_SYNC = "kcConnections.disabledBySync";

    /** The discovery fetch: at most this long in all, and this large (or the outbound options when smaller). */
    private static final long DISCOVERY_DEADLINE_MILLIS = 10_000;
    private static final long DISCOVERY_MAX_BYTES = 256 * 1024;

    /** What one sync did to one alias. Actions: created, updated, unchanged, disabled, conflict, invalid,
     * needs_vault (an environment secret that is not a vault reference, see {@link LoginSecrets}). */
    public record Outcome(String alias, String action, String providerId, String detail) {
    }

    private LoginSync() {
    }

    /** Syncs one realm in the session's transaction (Keycloak's identity provider store works on the context realm). */
    public static List<Outcome> sync(KeycloakSession session, RealmModel realm) {
        RealmModel before = session.getContext().getRealm();
        session.getContext().setRealm(realm);
        try {
            return syncContextRealm(session, realm);
        } finally {
            session.getContext().setRealm(before);
        }
    }

    /** Syncs every realm, each in its own transaction; a failing realm does not stop the others. */
    public static void syncAll(KeycloakSessionFactory factory) {
        List<String> ids = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                s -> s.realms().getRealmsStream().map(RealmModel::getId).toList());
        for (String id : ids) {
            syncRealm(factory, id);
        }
    }

    /** Syncs one realm in a transaction of its own. */
    public static List<Outcome> syncRealm(KeycloakSessionFactory factory, String realmId) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                RealmModel realm = s.realms().getRealm(realmId);
                return realm == null ? List.<Outcome>of() : sync(s, realm);
            });
        } catch (RuntimeException e) {
            LOG.warnf("login sync of realm %s failed: %s", realmId, e.toString());
            return List.of();
        }
    }

    /** Syncs the realm once the session's transaction has committed (after a provider configuration changed). */
    public static void syncAfterCommit(KeycloakSession session, String realmId) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                syncRealm(factory, realmId);
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    private static List<Outcome> syncContextRealm(KeycloakSession session, RealmModel realm) {
        ConnectService connect = session.getProvider(ConnectService.class);
        ProviderRegistry registry = connect.registry();
        List<Outcome> out = new ArrayList<>();
        Map<String, ResolvedProvider> wanted = new LinkedHashMap<>();
        for (ProviderRegistry.Entry e : registry.entries(session, realm)) {
            if (!e.usable() || !e.provider().loginEnabled() || !LoginSupport.capable(e.template())) {
                continue;
            }
            if (e.source() == ProviderRegistry.Source.ENV
                    && Config.getAdminRealm().equals(realm.getName())) {
                continue; // deployment-wide login settings apply to the application realms, not the admin realm
            }
            wanted.put(e.name(), e.provider());
        }
        for (ResolvedProvider p : wanted.values()) {
            out.add(apply(session, realm, p, registry.hostPolicy()));
        }
        // Login off: disabled, not removed, so the people linked to it keep their links for when it comes back.
        List<IdentityProviderModel> stale = session.identityProviders().getAllStream()
                .filter(m -> "true".equals(m.getConfig().get(MANAGED)) && !wanted.containsKey(m.getAlias())
                        && m.isEnabled()).toList();
        for (IdentityProviderModel m : stale) {
            m.setEnabled(false);
            m.getConfig().put(DISABLED_BY_SYNC, "true");
            session.identityProviders().update(m);
            out.add(new Outcome(m.getAlias(), "disabled", m.getProviderId(), "login is off for this provider"));
        }
        for (Outcome o : out) {
            if (o.action().equals("conflict") || o.action().equals("invalid") || o.action().equals(LoginSecrets.NEEDS_VAULT)) {
                LOG.warnf("login sync, realm %s: identity provider %s %s: %s", realm.getName(), o.alias(), o.action(), o.detail());
            } else if (!o.action().equals("unchanged")) {
                LOG.infof("login sync, realm %s: identity provider %s (%s) %s%s", realm.getName(), o.alias(), o.providerId(),
                        o.action(), o.detail() == null ? "" : " (" + o.detail() + ")");
            }
        }
        return out;
    }

    private static Outcome apply(KeycloakSession session, RealmModel realm, ResolvedProvider p, HostPolicy policy) {
        String alias = p.name();
        LoginSpec login = p.template().login();
        IdentityProviderModel existing = session.identityProviders().getByAlias(alias);
        if (existing != null && !"true".equals(existing.getConfig().get(MANAGED))) {
            return new Outcome(alias, "conflict", existing.getProviderId(),
                    "an identity provider with this alias exists and was not created by Keycloak Connections; left alone");
        }
        LoginSupport.Kind kind = LoginSupport.kind(p.template());
        String providerId = switch (kind) {
            case SOCIAL -> login.providerId();
            case OIDC -> "oidc";
            case CATALOG -> CatalogIdentityProvider.PROVIDER_ID;
            default -> "oauth2";
        };
        LoginSecrets.Refusal refusal = kind == LoginSupport.Kind.CATALOG ? null : LoginSecrets.check(p);
        if (refusal != null) {
            return refuse(session, existing, alias, providerId, refusal);
        }
        // Keycloak's social types are factories of their own SPI; oidc and oauth2 are plain identity providers.
        IdentityProviderFactory<?> factory = (IdentityProviderFactory<?>) (kind == LoginSupport.Kind.SOCIAL
                ? session.getKeycloakSessionFactory().getProviderFactory(SocialIdentityProvider.class, providerId)
                : session.getKeycloakSessionFactory().getProviderFactory(IdentityProvider.class, providerId));
        if (factory == null) {
            return new Outcome(alias, "invalid", providerId, "Keycloak has no identity provider type " + providerId);
        }
        Map<String, String> config = new HashMap<>();
        String detail;
        try {
            detail = desiredConfig(session, p, providerId, policy, config);
        } catch (Refused e) {
            return new Outcome(alias, "invalid", providerId, e.getMessage());
        }
        IdentityProviderModel model = factory.createConfig();
        if (existing != null) {
            model.setInternalId(existing.getInternalId());
            model.setFirstBrokerLoginFlowId(existing.getFirstBrokerLoginFlowId());
            model.setPostBrokerLoginFlowId(existing.getPostBrokerLoginFlowId());
            model.setTrustEmail(existing.isTrustEmail());
            model.setHideOnLogin(existing.isHideOnLogin());
            model.setLinkOnly(existing.isLinkOnly());
            model.setAddReadTokenRoleOnCreate(existing.isAddReadTokenRoleOnCreate());
            Map<String, String> merged = new HashMap<>(existing.getConfig());
            if (!providerId.equals(existing.getProviderId())) {
                merged.keySet().removeIf(k -> !k.equals(DISABLED_BY_SYNC)); // another type's settings do not carry over
            }
            merged.putAll(config);
            config = merged;
        } else if (realm.getFirstBrokerLoginFlow() != null) {
            model.setFirstBrokerLoginFlowId(realm.getFirstBrokerLoginFlow().getId());
        }
        if (kind == LoginSupport.Kind.OIDC && !config.containsKey("jwksUrl")) {
            // Never read discovery (and kept nothing from an earlier sync): no keys to check ID token signatures with.
            config.put("validateSignature", "false");
        }
        model.setConfig(config);
        model.setAlias(alias);
        model.setProviderId(providerId);
        model.setDisplayName(p.template().displayName());
        // An admin may switch a managed identity provider off in the console; only what the sync switched off it
        // switches on again.
        model.setEnabled(existing == null || existing.isEnabled() || "true".equals(existing.getConfig().get(DISABLED_BY_SYNC)));
        config.remove(DISABLED_BY_SYNC);
        // With connect at login the token response must reach the mapper; the mapper takes it out of the login context
        // before Keycloak would store it in plain text (FEDERATED_IDENTITY.TOKEN stays empty).
        model.setStoreToken(p.loginConnect());
        try {
            model.validate(realm);
        } catch (RuntimeException e) {
            return new Outcome(alias, "invalid", providerId, "Keycloak refuses the generated identity provider: " + e.getMessage());
        }
        String action;
        if (existing == null) {
            session.identityProviders().create(model);
            action = "created";
        } else if (same(existing, model)) {
            action = "unchanged";
        } else {
            session.identityProviders().update(model);
            action = "updated";
        }
        if (syncMapper(session, alias, p.loginConnect()) && action.equals("unchanged")) {
            action = "updated";
        }
        return new Outcome(alias, action, providerId, detail);
    }

    /**
     * A provider whose secret may not go into the realm ({@link LoginSecrets}): nothing is created, and an identity
     * provider made earlier loses its copy of the secret and is switched off (on again once the secret is fixed).
     */
    private static Outcome refuse(KeycloakSession session, IdentityProviderModel existing, String alias, String providerId,
                                  LoginSecrets.Refusal refusal) {
        String detail = refusal.detail();
        if (existing != null && (existing.isEnabled() || existing.getConfig().containsKey("clientSecret"))) {
            existing.getConfig().remove("clientSecret");
            if (existing.isEnabled()) {
                existing.setEnabled(false);
                existing.getConfig().put(DISABLED_BY_SYNC, "true");
            }
            session.identityProviders().update(existing);
            detail += "; the identity provider made earlier is disabled and its copy of the secret removed";
        }
        return new Outcome(alias, refusal.action(), providerId, detail);
    }

    /** A generated identity provider that must not be created or updated (the message says why, without secrets). */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Fills the identity provider's configuration; returns a note for the report (or null). */
    private static String desiredConfig(KeycloakSession session, ResolvedProvider p, String providerId, HostPolicy policy,
                                        Map<String, String> c) throws Refused {
        LoginSpec login = p.template().login();
        c.put(MANAGED, "true");
        c.put("clientId", p.clientId());
        if (LoginSupport.kind(p.template()) == LoginSupport.Kind.CATALOG) {
            // The extension's own type: the secret stays in the provider's configuration, never in the realm's IdP.
            c.put(CatalogIdentityProvider.PROVIDER, p.name());
            c.put("syncMode", IdentityProviderSyncMode.LEGACY.name());
            return null;
        }
        String secret = p.config().clientSecret();
        if (secret != null && !secret.isBlank()) {
            c.put("clientSecret", secret);
        }
        c.put("syncMode", IdentityProviderSyncMode.LEGACY.name());
        List<String> scopes = !login.scopes().isEmpty() ? login.scopes() : p.scopes(null);
        if (!providerId.equals(login.providerId()) || !login.scopes().isEmpty()) {
            if (!scopes.isEmpty()) {
                c.put("defaultScope", String.join(" ", scopes));
            }
        }
        if (login.type() == LoginSpec.Type.SOCIAL) {
            return null;
        }
        c.put("clientAuthMethod", p.template().clientAuth() == ClientAuthMethod.CLIENT_SECRET_BASIC ? "client_secret_basic" : "client_secret_post");
        c.put("pkceEnabled", String.valueOf(p.pkce()));
        if (p.pkce()) {
            c.put("pkceMethod", "S256");
        }
        c.put("authorizationUrl", p.authorizeUrl());
        c.put("tokenUrl", p.tokenUrl());
        String note = null;
        if (login.type() == LoginSpec.Type.OIDC) {
            c.put("issuer", p.loginIssuer());
            if (p.userinfoUrl() != null) {
                c.put("userInfoUrl", p.userinfoUrl());
            }
            note = discover(session, p, policy, c);
        } else {
            c.put("userInfoUrl", p.loginUserinfoUrl());
            c.putAll(login.claims());
        }
        return note;
    }

    /**
     * Reads the issuer's discovery document with Keycloak's own OIDC parser (endpoints, JWKS URL, signature checks).
     * When it cannot be read (the provider is down, or it is this server and it is still starting), what an earlier sync
     * found is kept; without that, the template's endpoints are used without signature validation of the ID token,
     * which comes straight from the token endpoint over the back channel. The next sync reads discovery again.
     * The fetch has a total deadline and a size cap, and every endpoint the document names passes the host policy like
     * a configured URL: a document naming a refused address makes the identity provider invalid ({@link Refused}).
     */
    private static String discover(KeycloakSession session, ResolvedProvider p, HostPolicy policy, Map<String, String> c)
            throws Refused {
        String issuer = p.loginIssuer();
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        String refusal = policy.checkResolved(url);
        if (refusal != null) {
            return "discovery refused (" + refusal + "); the catalog's endpoints are used";
        }
        Map<String, String> found;
        try {
            OutboundHttp.Options configured = OutboundHttp.Options.of(session.getProvider(ConnectService.class).settings());
            OutboundHttp http = new OutboundHttp(session, policy, new OutboundHttp.Options(
                    Math.min(configured.deadlineMillis(), DISCOVERY_DEADLINE_MILLIS),
                    Math.min(configured.maxResponseBytes(), DISCOVERY_MAX_BYTES), configured.keycloakClient()));
            OutboundHttp.Reply r = http.send(new OutboundRequest("GET", url, false, Map.of(), Map.of("Accept", "application/json")));
            if (r.status() != 200) {
                return "discovery answered " + r.status() + "; the catalog's endpoints are used";
            }
            IdentityProviderFactory<?> oidc = (IdentityProviderFactory<?>) session.getKeycloakSessionFactory()
                    .getProviderFactory(IdentityProvider.class, "oidc");
            found = oidc.parseConfig(session, r.body());
        } catch (Exception e) {
            return "discovery failed (" + e.getClass().getSimpleName() + "); the catalog's endpoints are used until the next sync";
        }
        if (!issuer.equals(found.get("issuer"))) {
            return "discovery names issuer " + found.get("issuer") + ", not " + issuer + "; not used";
        }
        for (String k : List.of("authorizationUrl", "tokenUrl", "userInfoUrl", "jwksUrl", "logoutUrl", "tokenIntrospectionUrl")) {
            String v = found.get(k);
            if (v != null && !v.isBlank()) {
                String refused = policy.checkUrl(v);
                refused = refused != null ? refused : policy.checkResolved(v);
                if (refused != null) {
                    throw new Refused("the discovery document of " + issuer + " names a " + k + " the host policy refuses ("
                            + refused + "); no identity provider is made from it");
                }
            }
        }
        for (String k : List.of("authorizationUrl", "tokenUrl", "userInfoUrl", "jwksUrl", "logoutUrl", "useJwksUrl",
                "validateSignature", "tokenIntrospectionUrl")) {
            String v = found.get(k);
            if (v != null && !v.isBlank()) {
                c.put(k, v);
            }
        }
        return null;
    }

    private static boolean same(IdentityProviderModel a, IdentityProviderModel b) {
        return Objects.equals(a.getProviderId(), b.getProviderId()) && Objects.equals(a.getDisplayName(), b.getDisplayName())
                && a.isEnabled() == b.isEnabled() && a.isStoreToken() == b.isStoreToken()
                && Objects.equals(a.getConfig(), b.getConfig());
    }

    /** Adds or removes the connect-at-login mapper; true when something changed. */
    private static boolean syncMapper(KeycloakSession session, String alias, boolean wanted) {
        Set<IdentityProviderMapperModel> ours = session.identityProviders().getMappersByAliasStream(alias)
                .filter(m -> LoginConnectionMapper.PROVIDER_ID.equals(m.getIdentityProviderMapper()))
                .collect(Collectors.toSet());
        if (wanted && ours.isEmpty()) {
            IdentityProviderMapperModel m = new IdentityProviderMapperModel();
            m.setName(MAPPER_NAME);
            m.setIdentityProviderAlias(alias);
            m.setIdentityProviderMapper(LoginConnectionMapper.PROVIDER_ID);
            m.setConfig(new HashMap<>(Map.of(IdentityProviderMapperModel.SYNC_MODE, IdentityProviderSyncMode.FORCE.name())));
            session.identityProviders().createMapper(m);
            return true;
        }
        if (!wanted && !ours.isEmpty()) {
            ours.forEach(m -> session.identityProviders().removeMapper(m));
            return true;
        }
        return false;
    }
}
