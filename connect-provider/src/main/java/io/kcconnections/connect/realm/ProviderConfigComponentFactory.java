package io.kcconnections.connect.realm;

import io.kcconnections.connect.login.LoginSync;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ProviderSetting;
import io.kcconnections.connect.catalog.RealmProviderConfigs;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The factory of the {@link ProviderConfigComponent} type ({@code providerId} {@code connect-provider}). It describes
 * the fields of a realm's provider configuration and refuses bad ones: every create or update of such a component,
 * through this extension's admin API or Keycloak's own components API, is checked exactly as the registry will use it
 * (unknown provider, a second configuration of the same provider, malformed or missing values, URLs and domain
 * values the host policy refuses). A configuration that offers the provider for login (or replaces one that does) is
 * refused to an admin without {@code manage-identity-providers}, as in this extension's admin API: Keycloak's components
 * API asks only for {@code manage-realm}, and login makes the realm's identity providers ({@link AdminCaller}).
 * <p>
 * Realm import is the one exception. While a realm is being created from a representation ({@code --import-realm},
 * {@code kc.sh import}, creating a realm from JSON in the admin API) a configuration that does not resolve here is
 * stored as it is, with a warning in the log: an import restores what was exported, and a realm file that does not
 * match this server (another host policy, a provider removed from {@code CONNECT_PROVIDERS}) must not stop the server
 * from starting. Such a configuration is listed with its problems by the admin API and is not used.
 */
public class ProviderConfigComponentFactory implements ComponentFactory<ProviderConfigComponent, ProviderConfigComponent> {

    public static final String ID = "connect-provider";
    private static final Logger LOG = Logger.getLogger(ProviderConfigComponentFactory.class);
    /** Session attribute set while a realm is being created from a representation. */
    private static final String IMPORTING = "kcconnect.importing-realm.";
    private static final ProviderConfigComponent INSTANCE = new ProviderConfigComponent() {
    };

    private volatile KeycloakSessionFactory sessionFactory;
    private volatile List<ProviderConfigProperty> properties;

    @Override
    public ProviderConfigComponent create(KeycloakSession session, ComponentModel model) {
        return INSTANCE;
    }

    /** A changed provider configuration may turn login on or off: the realm's identity providers follow after commit. */
    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        LoginSync.syncAfterCommit(session, realm.getId());
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        LoginSync.syncAfterCommit(session, realm.getId());
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        LoginSync.syncAfterCommit(session, realm.getId());
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (model.getParentId() != null && !model.getParentId().equals(realm.getId())) {
            throw new ComponentValidationException("a connect provider configuration belongs to the realm itself (parentId "
                    + realm.getId() + ")");
        }
        boolean importing = session.getAttribute(IMPORTING + realm.getId()) != null;
        if (!importing && touchesLogin(realm, model) && !AdminCaller.mayManageIdentityProviders(session, realm)) {
            // Keycloak's components API asks for manage-realm only; login makes and changes identity providers.
            throw new ComponentValidationException("{0}", "provider " + model.getName() + ": offering a provider for login"
                    + " (or changing a configuration that does) needs the manage-identity-providers role");
        }
        ConnectService connect = session.getProvider(ConnectService.class);
        ProviderRegistry registry = connect == null ? null : connect.registry();
        if (registry == null) {
            if (importing) {
                return;
            }
            throw new ComponentValidationException("the connect extension is not initialised; see the server log");
        }
        ProviderRegistry.Entry e = registry.check(realm, model, Set.of());
        if (e.problems().isEmpty()) {
            return;
        }
        String msg = "provider " + e.name() + ": " + String.join("; ", e.problems());
        if (importing) {
            LOG.warnf("realm %s: the imported configuration of provider %s is not usable on this server and is kept "
                    + "unused until it is fixed: %s", realm.getName(), e.name(), String.join("; ", e.problems()));
            return;
        }
        // Keycloak's components API formats the message with MessageFormat: pass the text as its argument, verbatim.
        throw new ComponentValidationException("{0}", msg);
    }

    /** Whether the new configuration, or the stored one it replaces, offers the provider for login. */
    private static boolean touchesLogin(RealmModel realm, ComponentModel model) {
        if (loginOn(model)) {
            return true;
        }
        ComponentModel stored = model.getId() == null ? null : realm.getComponent(model.getId());
        return stored != null && loginOn(stored);
    }

    private static boolean loginOn(ComponentModel c) {
        return c.getConfig() != null && c.getConfig().getOrDefault(ProviderSetting.LOGIN_ENABLED.key(), List.of())
                .stream().anyMatch(v -> v != null && v.trim().equalsIgnoreCase("true"));
    }

    @Override
    public String getHelpText() {
        return "A third-party OAuth provider configured for this realm (Keycloak Connections). Its name is the provider's "
                + "catalog name; it replaces the environment's configuration of that provider in this realm.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> p = properties;
        if (p == null) {
            ProviderRegistry registry = registry();
            p = buildProperties(registry);
            if (registry != null) {
                properties = p; // templates are fixed once the registry is built
            }
        }
        return p;
    }

    /** The settings (from the {@link ProviderSetting} table), then one property per template parameter name known to this server. */
    private static List<ProviderConfigProperty> buildProperties(ProviderRegistry registry) {
        ProviderConfigurationBuilder b = ProviderConfigurationBuilder.create();
        for (ProviderSetting s : ProviderSetting.values()) {
            ProviderConfigurationBuilder.ProviderConfigPropertyBuilder p = b.property().name(s.key()).label(s.label())
                    .type(s.propertyType()).helpText(s.helpText());
            if (s.defaultValue() != null) {
                p.defaultValue(s.defaultValue());
            }
            if (!s.options().isEmpty()) {
                p.options(s.options());
            }
            if (s.secret()) {
                p.secret(true);
            }
            p.add();
        }
        Map<String, List<String>> params = new TreeMap<>();
        Map<String, String> descriptions = new TreeMap<>();
        if (registry != null) {
            for (ProviderTemplate t : registry.templates().values()) {
                for (TemplateParam tp : t.params()) {
                    if (!RealmProviderConfigs.reserved(tp.name())) {
                        params.computeIfAbsent(tp.name(), k -> new ArrayList<>()).add(t.name());
                        if (tp.description() != null) {
                            descriptions.putIfAbsent(tp.name(), tp.description());
                        }
                    }
                }
            }
        }
        params.forEach((name, providers) -> b.property().name(name).label(name).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Template value used by " + String.join(", ", providers)
                        + (descriptions.containsKey(name) ? " (e.g. " + descriptions.get(name) + ")" : "")
                        + ". For a per-connection value it is the default.").add());
        return b.build();
    }

    private ProviderRegistry registry() {
        KeycloakSessionFactory f = sessionFactory;
        if (f == null) {
            return null;
        }
        try (KeycloakSession s = f.create()) {
            ConnectService c = s.getProvider(ConnectService.class);
            return c == null ? null : c.registry();
        }
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(ProviderSetting.CLIENT_ID.key(), ProviderSetting.ENABLED.key()));
    }

    @Override
    public void init(Config.Scope config) {
        if (!ProviderConfigComponent.TYPE.equals(RealmProviderConfigs.COMPONENT_TYPE)) {
            throw new IllegalStateException("the provider component type is " + ProviderConfigComponent.TYPE
                    + " but the catalog reads " + RealmProviderConfigs.COMPONENT_TYPE);
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        factory.register(event -> {
            if (event instanceof RealmModel.RealmCreationEvent e && e.getKeycloakSession() != null) {
                e.getKeycloakSession().setAttribute(IMPORTING + e.getCreatedRealm().getId(), Boolean.TRUE);
            } else if (event instanceof RealmModel.RealmPostCreateEvent e && e.getKeycloakSession() != null) {
                e.getKeycloakSession().removeAttribute(IMPORTING + e.getCreatedRealm().getId());
            }
        });
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
