package io.kcconnections.connect.catalog;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one table of provider settings: its names are stored data and API, so they are pinned here. */
class ProviderSettingTest {

    @Test
    void componentKeysAndJsonFieldsNeverChange() {
        assertEquals(List.of("enabled", "clientId", "clientSecret", "scopes", "authorizeUrl", "tokenUrl", "userinfoUrl",
                "revokeUrl", "pkce", "loginEnabled", "loginConnect", "allowedClients"),
                Arrays.stream(ProviderSetting.values()).map(ProviderSetting::key).toList());
        for (ProviderSetting s : ProviderSetting.values()) {
            assertSame(s, ProviderSetting.byKey(s.key()));
        }
        assertNull(ProviderSetting.byKey("base_url"));
        assertNull(ProviderSetting.byKey(null));
    }

    @Test
    void environmentVariableSuffixesNeverChange() {
        Map<ProviderSetting, String> suffixes = new HashMap<>();
        for (ProviderSetting s : ProviderSetting.values()) {
            suffixes.put(s, s.envSuffix());
        }
        Map<ProviderSetting, String> expected = new HashMap<>(Map.of(ProviderSetting.CLIENT_ID, "CLIENT_ID",
                ProviderSetting.CLIENT_SECRET, "CLIENT_SECRET", ProviderSetting.SCOPES, "SCOPES",
                ProviderSetting.AUTHORIZE_URL, "AUTHORIZE_URL", ProviderSetting.TOKEN_URL, "TOKEN_URL",
                ProviderSetting.USERINFO_URL, "USERINFO_URL", ProviderSetting.REVOKE_URL, "REVOKE_URL",
                ProviderSetting.PKCE, "PKCE_REQUIRED", ProviderSetting.LOGIN_ENABLED, "LOGIN_ENABLED",
                ProviderSetting.LOGIN_CONNECT, "LOGIN_CONNECT"));
        expected.put(ProviderSetting.ENABLED, null);
        expected.put(ProviderSetting.ALLOWED_CLIENTS, "ALLOWED_CLIENTS");
        assertEquals(expected, suffixes);
        assertEquals(Set.of(ProviderSetting.CLIENT_ID, ProviderSetting.CLIENT_SECRET),
                Set.copyOf(Arrays.stream(ProviderSetting.values()).filter(ProviderSetting::legacyEnv).toList()));
    }

    @Test
    void everySettingButEnabledIsPartOfTheConfiguration() {
        ProviderConfig c = new ProviderConfig("x", "realm", "id", "secret", List.of("a"), "https://a", "https://t",
                "https://u", "https://r", Boolean.TRUE, Map.of(), Boolean.FALSE, Boolean.TRUE);
        ProviderConfig.Builder b = ProviderConfig.builder("x", "realm");
        for (ProviderSetting s : ProviderSetting.values()) {
            if (s == ProviderSetting.ENABLED) {
                assertThrows(IllegalStateException.class, () -> s.get(c));
            } else {
                b.set(s, s.get(c));
            }
        }
        assertEquals(c, b.build(), "the table reads and writes every field of ProviderConfig");
        assertThrows(IllegalArgumentException.class, () -> b.set(ProviderSetting.PKCE, "true"), "values are typed");
        assertTrue(b.enabled());
        assertEquals(false, b.set(ProviderSetting.ENABLED, false).enabled());
    }

    @Test
    void textValuesParseByType() {
        assertEquals("id", ProviderSetting.CLIENT_ID.parse("  id "));
        assertNull(ProviderSetting.CLIENT_ID.parse(" "));
        assertEquals(Boolean.FALSE, ProviderSetting.PKCE.parse("FALSE"));
        assertEquals("must be true or false",
                assertThrows(IllegalArgumentException.class, () -> ProviderSetting.LOGIN_ENABLED.parse("yes")).getMessage());
        assertEquals(List.of("openid", "profile", "email"), ProviderSetting.SCOPES.parse(" openid, profile  email,"));
    }

    @Test
    void componentPropertiesDescribeEverySetting() {
        assertTrue(ProviderSetting.CLIENT_SECRET.secret());
        assertEquals(ProviderConfigProperty.PASSWORD, ProviderSetting.CLIENT_SECRET.propertyType());
        assertEquals(List.of("true", "false"), ProviderSetting.PKCE.options());
        assertEquals("true", ProviderSetting.ENABLED.defaultValue());
        assertEquals(1, Arrays.stream(ProviderSetting.values()).filter(ProviderSetting::secret).count());
        for (ProviderSetting s : ProviderSetting.values()) {
            assertTrue(s.label() != null && s.helpText() != null && s.propertyType() != null, s::toString);
        }
    }

    @Test
    void reservedParameterNamesAreTheSettingsAndTheCustomProviderVariables() {
        assertEquals(Set.of("client_id", "client_secret", "scopes", "authorize_url", "token_url", "userinfo_url",
                "revoke_url", "refresh_url", "pkce", "pkce_required", "login_enabled", "login_connect", "allowed_clients", "enabled",
                "display_name", "category", "client_auth", "scope_separator", "authorize_params", "account_id_field",
                "issuer", "params", "connection_params", "device_authorization_url", "client_credentials"),
                EnvProviderConfigs.RESERVED_PARAM_NAMES);
    }
}
