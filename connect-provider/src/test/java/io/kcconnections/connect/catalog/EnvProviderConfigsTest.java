package io.kcconnections.connect.catalog;

import io.kcconnections.connect.net.HostPolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kcconnections.connect.spi.template.ClientAuthMethod;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvProviderConfigsTest {

    private static final Map<String, ProviderTemplate> CATALOG = Catalog.load(EnvProviderConfigsTest.class.getClassLoader()).templates();
    private static final HostPolicy STRICT = new HostPolicy(false);

    private static Map<String, ProviderTemplate> withGithub() throws Exception {
        Map<String, ProviderTemplate> c = new TreeMap<>(CATALOG);
        c.put("github", ProviderTemplate.parse("""
                name: github
                authorizeUrl: https://github.com/login/oauth/authorize
                tokenUrl: https://github.com/login/oauth/access_token
                """));
        c.put("microsoft", ProviderTemplate.parse("""
                name: microsoft
                params:
                  - {name: tenant, kind: segment, default: common}
                authorizeUrl: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize"
                tokenUrl: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
                """));
        return c;
    }

    @Test
    void unconfiguredProvidersAreSkippedSilently() {
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of(), CATALOG);
        assertTrue(r.configs().isEmpty());
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void connectVariablesWinOverLegacyOnes() throws Exception {
        Map<String, String> env = Map.of("CONNECT_GITHUB_CLIENT_ID", "new-id", "AUTH_GITHUB_CLIENT_ID", "old-id",
                "AUTH_GITHUB_CLIENT_SECRET", "old-secret", "AUTH_MS_CLIENT_ID", "ms-id", "AUTH_MS_CLIENT_SECRET", "ms-secret",
                "AUTH_MS_TENANT", "contoso.onmicrosoft.com");
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(env, withGithub());
        assertEquals("new-id", r.configs().get("github").clientId());
        assertEquals("old-secret", r.configs().get("github").clientSecret(), "the legacy secret fills what CONNECT_ leaves out");
        assertEquals("env-legacy", r.configs().get("microsoft").source());
        assertEquals("contoso.onmicrosoft.com", r.configs().get("microsoft").values().get("tenant"));
    }

    @Test
    void halfConfiguredProvidersAreReported() throws Exception {
        Map<String, ProviderTemplate> c = withGithub();
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of("CONNECT_GITHUB_CLIENT_ID", "id"), c);
        ResolvedProvider.Result res = ResolvedProvider.resolve(c.get("github"), r.configs().get("github"), STRICT);
        assertFalse(res.ok());
        assertTrue(res.problems().get(0).contains("CONNECT_GITHUB_CLIENT_SECRET"), res.problems().toString());

        EnvProviderConfigs.Result k = EnvProviderConfigs.read(Map.of("CONNECT_KEYCLOAK_CLIENT_ID", "id",
                "CONNECT_KEYCLOAK_CLIENT_SECRET", "s"), c);
        ResolvedProvider.Result kr = ResolvedProvider.resolve(c.get("keycloak"), k.configs().get("keycloak"), STRICT);
        assertFalse(kr.ok());
        assertTrue(kr.problems().toString().contains("CONNECT_KEYCLOAK_BASE_URL"), kr.problems().toString());
    }

    @Test
    void typosAndBadValuesAreReported() throws Exception {
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of("CONNECT_GITHUBB_CLIENT_ID", "x",
                "CONNECT_GITHUB_CLIENT_ID", "id", "CONNECT_GITHUB_CLIENT_SECRET", "s", "CONNECT_GITHUB_LOGIN_ENABLED", "yes"), withGithub());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("CONNECT_GITHUBB_CLIENT_ID")), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("CONNECT_GITHUB_LOGIN_ENABLED must be true or false")));
    }

    @Test
    void customProvidersComeFromVariables() {
        Map<String, String> env = Map.of("CONNECT_PROVIDERS", "acme, Bad_Name, keycloak",
                "CONNECT_ACME_AUTHORIZE_URL", "https://acme.example.com/oauth/authorize",
                "CONNECT_ACME_TOKEN_URL", "https://acme.example.com/oauth/token",
                "CONNECT_ACME_CLIENT_AUTH", "basic", "CONNECT_ACME_SCOPE_SEPARATOR", ",",
                "CONNECT_ACME_AUTHORIZE_PARAMS", "prompt=consent&audience=api",
                "CONNECT_ACME_CLIENT_ID", "id", "CONNECT_ACME_CLIENT_SECRET", "secret", "CONNECT_ACME_SCOPES", "read,write");
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(env, CATALOG);
        ProviderTemplate t = r.customTemplates().get("acme");
        assertNotNull(t);
        assertEquals(ClientAuthMethod.CLIENT_SECRET_BASIC, t.clientAuth());
        assertEquals(",", t.scopeSeparator());
        assertEquals("consent", t.authorizeParams().get("prompt"));
        assertEquals(List.of("read", "write"), r.configs().get("acme").scopes());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("Bad_Name")));
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("'keycloak' is already in the catalog")));
        ResolvedProvider.Result res = ResolvedProvider.resolve(t, r.configs().get("acme"), STRICT);
        assertTrue(res.ok(), res.problems().toString());
    }

    @Test
    void customProviderWithoutEndpointsIsReported() {
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(Map.of("CONNECT_PROVIDERS", "half",
                "CONNECT_HALF_CLIENT_ID", "x"), CATALOG);
        assertNull(r.customTemplates().get("half"));
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("CONNECT_HALF_AUTHORIZE_URL")), r.problems().toString());
    }

    @Test
    void customProviderOffersDeviceFlowAndClientCredentials() {
        Map<String, String> env = Map.of("CONNECT_PROVIDERS", "acme, other",
                "CONNECT_ACME_AUTHORIZE_URL", "https://acme.example.com/oauth/authorize",
                "CONNECT_ACME_TOKEN_URL", "https://acme.example.com/oauth/token",
                "CONNECT_ACME_DEVICE_AUTHORIZATION_URL", "https://acme.example.com/oauth/device",
                "CONNECT_ACME_CLIENT_CREDENTIALS", "TRUE",
                "CONNECT_OTHER_AUTHORIZE_URL", "https://other.example.com/a", "CONNECT_OTHER_TOKEN_URL", "https://other.example.com/t",
                "CONNECT_OTHER_CLIENT_CREDENTIALS", "sometimes");
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(env, CATALOG);
        ProviderTemplate t = r.customTemplates().get("acme");
        assertEquals("https://acme.example.com/oauth/device", t.deviceAuthorizationUrl());
        assertTrue(t.clientCredentials());
        assertNull(r.customTemplates().get("other"), "a malformed flag is refused, not read as false");
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("CONNECT_OTHER_CLIENT_CREDENTIALS")), r.problems().toString());
    }

    @Test
    void hostileDomainValuesAreRefused() {
        ProviderTemplate k = CATALOG.get("keycloak");
        for (String bad : new String[]{"http://sso.example.com", "https://127.0.0.1", "https://sso.example.com/?x=1",
                "https://user@sso.example.com", "javascript:alert(1)", "https://localhost:8443"}) {
            ResolvedProvider.Result r = ResolvedProvider.resolve(k, new ProviderConfig("keycloak", "env", "id", "s", null,
                    null, null, null, null, null, Map.of("base_url", bad), null, null), STRICT);
            assertFalse(r.ok(), bad);
        }
        ResolvedProvider.Result seg = ResolvedProvider.resolve(k, new ProviderConfig("keycloak", "env", "id", "s", null,
                null, null, null, null, null, Map.of("base_url", "https://sso.example.com", "realm", "../admin"), null, null), STRICT);
        assertFalse(seg.ok());
        ResolvedProvider.Result good = ResolvedProvider.resolve(k, new ProviderConfig("keycloak", "env", "id", "s", null,
                null, null, null, null, null, Map.of("base_url", "https://sso.example.com/", "realm", "acme"), null, null), STRICT);
        assertTrue(good.ok(), good.problems().toString());
        assertEquals("https://sso.example.com/realms/acme/protocol/openid-connect/token", good.provider().tokenUrl());
    }

    @Test
    void customProvidersDeclareTheirParametersAndWithoutCredentialsAreTemplatesOnly() {
        Map<String, String> env = Map.of("CONNECT_PROVIDERS", "tenanted",
                "CONNECT_TENANTED_AUTHORIZE_URL", "https://{host}/realms/{realm}/auth",
                "CONNECT_TENANTED_TOKEN_URL", "https://{host}/realms/{realm}/token",
                "CONNECT_TENANTED_PARAMS", "host:host", "CONNECT_TENANTED_CONNECTION_PARAMS", "realm:segment");
        EnvProviderConfigs.Result r = EnvProviderConfigs.read(env, CATALOG);
        assertTrue(r.problems().isEmpty(), r.problems()::toString);
        assertFalse(r.configs().containsKey("tenanted"), "described but without credentials: nothing to report, realms may configure it");
        ProviderTemplate t = r.customTemplates().get("tenanted");
        assertTrue(t.structuralProblems().isEmpty(), t.structuralProblems()::toString);
        assertEquals(io.kcconnections.connect.spi.template.TemplateParam.Kind.HOST, t.param("host").kind());
        assertFalse(t.param("host").perConnection());
        assertTrue(t.param("realm").perConnection());
        assertTrue(t.param("realm").required());

        for (String bad : List.of("Host", "scopes", "host:ip")) {
            EnvProviderConfigs.Result b = EnvProviderConfigs.read(Map.of("CONNECT_PROVIDERS", "tenanted",
                    "CONNECT_TENANTED_AUTHORIZE_URL", "https://x.example.com/a", "CONNECT_TENANTED_TOKEN_URL", "https://x.example.com/t",
                    "CONNECT_TENANTED_PARAMS", bad), CATALOG);
            assertTrue(b.problems().stream().anyMatch(p -> p.contains("CONNECT_TENANTED_PARAMS")), bad + ": " + b.problems());
        }
    }
}
