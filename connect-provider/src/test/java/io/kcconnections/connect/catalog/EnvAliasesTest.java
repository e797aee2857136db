package io.kcconnections.connect.catalog;

import java.util.Map;

import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** svc-infra's environment names keep configuring the same providers; ours win where both are set. */
class EnvAliasesTest {

    private static final Map<String, ProviderTemplate> CATALOG = Catalog.load(EnvAliasesTest.class.getClassLoader()).templates();

    @Test
    void bareNamesConfigureTheProvider() {
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of("GITHUB_CLIENT_ID", "gh-id", "GITHUB_CLIENT_SECRET", "gh-secret",
                "GITHUB_SCOPES", "repo,read:user"), CATALOG);
        ProviderConfig c = r.configs().get("github");
        assertEquals("gh-id", c.clientId());
        assertEquals("gh-secret", c.clientSecret());
        assertEquals(java.util.List.of("repo", "read:user"), c.scopes());
        assertTrue(r.problems().isEmpty(), r.problems()::toString);
    }

    @Test
    void oursWinOverAliases() {
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of("CONNECT_GITHUB_CLIENT_ID", "ours", "GITHUB_CLIENT_ID", "bare",
                "CONNECT_GITHUB_CLIENT_SECRET", "s", "CONNECT_GITHUB_PKCE_REQUIRED", "true", "CONNECT_GITHUB_PKCE", "false"), CATALOG);
        assertEquals("ours", r.configs().get("github").clientId());
        assertEquals(Boolean.TRUE, r.configs().get("github").pkce());
    }

    @Test
    void svcInfraCodeNamesForPkceAndLogin() {
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of("CONNECT_GOOGLE_CLIENT_ID", "g", "CONNECT_GOOGLE_CLIENT_SECRET", "s",
                "CONNECT_GOOGLE_PKCE", "true", "CONNECT_GOOGLE_LOGIN", "true"), CATALOG);
        assertEquals(Boolean.TRUE, r.configs().get("google").pkce());
        assertEquals(Boolean.TRUE, r.configs().get("google").loginEnabled());
    }

    @Test
    void domainFormsBecomeTheProvidersValues() {
        Map<String, String> env = Map.of(
                "CONNECT_SHOPIFY_CLIENT_ID", "a", "CONNECT_SHOPIFY_CLIENT_SECRET", "b", "CONNECT_SHOPIFY_DOMAIN", "acme",
                "CONNECT_ZENDESK_CLIENT_ID", "a", "CONNECT_ZENDESK_CLIENT_SECRET", "b", "CONNECT_ZENDESK_DOMAIN", "https://acme.zendesk.com/",
                "CONNECT_KEYCLOAK_CLIENT_ID", "a", "CONNECT_KEYCLOAK_CLIENT_SECRET", "b", "CONNECT_KEYCLOAK_DOMAIN", "sso.example.com");
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(env, CATALOG);
        assertEquals("acme.myshopify.com", r.configs().get("shopify").values().get("shop"));
        assertEquals("acme", r.configs().get("zendesk").values().get("subdomain"));
        assertEquals("https://sso.example.com", r.configs().get("keycloak").values().get("base_url"));
        Map<String, String> both = new java.util.HashMap<>(env);
        both.put("CONNECT_SHOPIFY_SHOP", "other.myshopify.com");
        assertEquals("other.myshopify.com", EnvProviderConfigs.read(both, CATALOG).configs().get("shopify").values().get("shop"));
    }

    @Test
    void apiBaseIsReportedWithWhereCallbacksAre() {
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of("CONNECT_API_BASE", "https://api.example.com"), CATALOG);
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).contains("/realms/{realm}/connect/callback/{provider}"), r.problems()::toString);
        assertNull(r.configs().get("github"));
    }
}
