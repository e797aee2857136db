package io.kcconnections.connect.catalog;

import io.kcconnections.connect.net.HostPolicy;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kcconnections.connect.realm.ProviderConfigComponentFactory;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which configuration decides in a realm: the realm's component as a whole, else the environment's. */
class RealmPrecedenceTest {

    private static final Map<String, String> ENV = Map.of(
            "CONNECT_KEYCLOAK_CLIENT_ID", "env-id", "CONNECT_KEYCLOAK_CLIENT_SECRET", "env-secret",
            "CONNECT_KEYCLOAK_BASE_URL", "https://env.example.com", "CONNECT_KEYCLOAK_REALM", "env-realm",
            "CONNECT_GITLAB_CLIENT_ID", "gl", "CONNECT_GITLAB_CLIENT_SECRET", "gl-secret");
    private static final ProviderRegistry REGISTRY = ProviderRegistry.build(
            Catalog.load(RealmPrecedenceTest.class.getClassLoader()), List.of(), ENV, new HostPolicy(false));

    /** A realm that holds only components (the registry reads nothing else). */
    private static RealmModel realm(List<ComponentModel> components) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[]{RealmModel.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getId", "getName" -> "r1";
                    case "getComponentsStream" -> components.stream()
                            .filter(c -> args.length < 2 || args[1].equals(c.getProviderType()));
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static ComponentModel component(String id, String name, String... kv) {
        MultivaluedHashMap<String, String> cfg = new MultivaluedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            cfg.add(kv[i], kv[i + 1]);
        }
        ComponentModel m = new ComponentModel();
        m.setId(id);
        m.setName(name);
        m.setParentId("r1");
        m.setProviderType(RealmProviderConfigs.COMPONENT_TYPE);
        m.setProviderId(ProviderConfigComponentFactory.ID);
        m.setConfig(cfg);
        return m;
    }

    @Test
    void withoutRealmConfigurationTheEnvironmentApplies() {
        RealmModel r = realm(List.of());
        assertEquals("env-id", REGISTRY.find(null, r, "keycloak").clientId());
        assertEquals(Set.of("gitlab", "keycloak"), REGISTRY.all(null, r).keySet());
    }

    @Test
    void theRealmsConfigurationReplacesTheEnvironmentsAsAWhole() {
        RealmModel r = realm(List.of(component("c1", "keycloak", "clientId", "realm-id", "clientSecret", "${vault.kc}",
                "base_url", "https://realm.example.com")));
        ResolvedProvider p = REGISTRY.find(null, r, "keycloak");
        assertEquals("realm-id", p.clientId());
        assertEquals("https://realm.example.com/realms/master/protocol/openid-connect/auth", p.authorizeUrl(),
                "the environment's realm value is not inherited: the template default applies");
        ProviderRegistry.Entry e = REGISTRY.entry(null, r, "keycloak");
        assertEquals(ProviderRegistry.Source.REALM, e.source());
        assertTrue(e.overridesEnvironment());
    }

    @Test
    void disabledHidesTheEnvironmentsProviderInThatRealmOnly() {
        RealmModel r = realm(List.of(component("c1", "gitlab", "enabled", "false")));
        assertNull(REGISTRY.find(null, r, "gitlab"));
        assertFalse(REGISTRY.all(null, r).containsKey("gitlab"));
        assertNotNull(REGISTRY.find(null, realm(List.of()), "gitlab"), "other realms still have it");
        ProviderRegistry.Entry e = REGISTRY.entry(null, r, "gitlab");
        assertFalse(e.enabled());
        assertTrue(e.problems().isEmpty());
    }

    @Test
    void anInvalidRealmConfigurationIsReportedAndNotReplacedByTheEnvironments() {
        RealmModel r = realm(List.of(component("c1", "keycloak", "clientId", "x", "clientSecret", "s",
                "base_url", "http://10.0.0.1"), component("c2", "nosuch", "clientId", "x")));
        assertNull(REGISTRY.find(null, r, "keycloak"), "no silent fallback to the environment's credentials");
        List<ProviderRegistry.Entry> entries = REGISTRY.entries(null, r);
        ProviderRegistry.Entry kc = entries.stream().filter(e -> e.name().equals("keycloak")).findFirst().orElseThrow();
        assertFalse(kc.problems().isEmpty());
        ProviderRegistry.Entry unknown = entries.stream().filter(e -> e.name().equals("nosuch")).findFirst().orElseThrow();
        assertTrue(unknown.problems().get(0).contains("unknown provider 'nosuch'"), unknown.problems()::toString);
        assertEquals(Set.of("gitlab"), REGISTRY.all(null, r).keySet());
    }

    @Test
    void twoConfigurationsOfOneProviderAreBothRefused() {
        List<ComponentModel> cs = new ArrayList<>(List.of(
                component("c1", "gitlab", "clientId", "a", "clientSecret", "s"),
                component("c2", "gitlab", "clientId", "b", "clientSecret", "s")));
        RealmModel r = realm(cs);
        assertNull(REGISTRY.find(null, r, "gitlab"));
        assertTrue(REGISTRY.entry(null, r, "gitlab").problems().get(0).contains("configures gitlab 2 times"));
        assertTrue(REGISTRY.check(r, cs.get(0), Set.of("c2")).problems().isEmpty(), "unless the other is being replaced");
    }

    @Test
    void aRealmCanConfigureAProviderTheEnvironmentDoesNot() {
        RealmModel r = realm(List.of(component("c1", "github", ProviderSetting.CLIENT_ID.key(), "gh",
                ProviderSetting.CLIENT_SECRET.key(), "s", ProviderSetting.SCOPES.key(), "repo", ProviderSetting.SCOPES.key(), "user")));
        assertEquals(List.of("repo", "user"), REGISTRY.find(null, r, "github").scopes(null));
        assertNull(REGISTRY.find(null, realm(List.of()), "github"));
    }
}
