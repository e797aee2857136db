package io.kcconnections.connect.catalog;

import java.util.List;
import java.util.Map;

import io.kcconnections.connect.realm.ProviderConfigComponent;
import io.kcconnections.connect.realm.ProviderConfigComponentFactory;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealmProviderConfigsTest {

    private static ComponentModel component(String name, MultivaluedHashMap<String, String> config) {
        ComponentModel m = new ComponentModel();
        m.setId("c1");
        m.setName(name);
        m.setProviderType(RealmProviderConfigs.COMPONENT_TYPE);
        m.setProviderId(ProviderConfigComponentFactory.ID);
        m.setConfig(config);
        return m;
    }

    @Test
    void aConfigurationSurvivesTheComponentForm() {
        ProviderConfig c = new ProviderConfig("keycloak", "realm", "id", "${vault.kc}", List.of("openid", "email"),
                null, "https://sso.example.com/token", null, null, Boolean.TRUE,
                Map.of("base_url", "https://sso.example.com", "realm", "r"), Boolean.FALSE, null);
        RealmProviderConfigs.Parsed p = RealmProviderConfigs.parse(component("keycloak", RealmProviderConfigs.toComponentConfig(c, true)));
        assertTrue(p.problems().isEmpty(), p.problems()::toString);
        assertTrue(p.enabled());
        assertEquals(c, p.config());
    }

    @Test
    void disabledWithoutAnythingElseIsAValidConfiguration() {
        MultivaluedHashMap<String, String> cfg = new MultivaluedHashMap<>();
        cfg.putSingle("enabled", "false");
        RealmProviderConfigs.Parsed p = RealmProviderConfigs.parse(component("github", cfg));
        assertFalse(p.enabled());
        assertTrue(p.problems().isEmpty());
        assertNull(p.config().clientId());
    }

    @Test
    void malformedSettingsAreProblemsNotExceptions() {
        MultivaluedHashMap<String, String> cfg = new MultivaluedHashMap<>();
        cfg.putSingle("enabled", "yes");
        cfg.put("clientId", List.of("a", "b"));
        cfg.putSingle("pkce", "sometimes");
        cfg.put("scopes", List.of("openid profile", "email,openid"));
        RealmProviderConfigs.Parsed p = RealmProviderConfigs.parse(component("github", cfg));
        String all = String.join("\n", p.problems());
        assertTrue(all.contains("'enabled' must be true or false"), all);
        assertTrue(all.contains("'clientId' has 2 values"), all);
        assertTrue(all.contains("'pkce' must be true or false"), all);
        assertEquals(List.of("openid", "profile", "email"), p.config().scopes());
        assertTrue(RealmProviderConfigs.parse(component("x", null)).problems().isEmpty(), "no config at all is no crash");
    }

    @Test
    void settingNamesAreReservedForParameters() {
        assertTrue(RealmProviderConfigs.reserved("enabled"));
        assertTrue(RealmProviderConfigs.reserved("scopes"));
        assertTrue(RealmProviderConfigs.reserved("clientid"));
        assertFalse(RealmProviderConfigs.reserved("base_url"));
    }

    @Test
    void theComponentTypeIsTheSpisProviderInterface() {
        // Keycloak finds the component type by this class name, and realm exports group components by it.
        assertEquals(ProviderConfigComponent.TYPE, RealmProviderConfigs.COMPONENT_TYPE);
        assertEquals("io.kcconnections.connect.realm.ProviderConfigComponent", RealmProviderConfigs.COMPONENT_TYPE);
    }

    @Test
    void emptyAndBlankSettingsAreLeftOutOfTheComponent() {
        ProviderConfig c = new ProviderConfig("github", "realm", " id ", "  ", List.of(), null, null, null, null, null,
                Map.of("tenant", " t "), null, Boolean.TRUE);
        MultivaluedHashMap<String, String> m = RealmProviderConfigs.toComponentConfig(c, false);
        assertEquals(Map.of("enabled", List.of("false"), "clientId", List.of("id"), "tenant", List.of("t"),
                "loginConnect", List.of("true")), Map.copyOf(m));
    }
}
