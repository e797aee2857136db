package io.kcconnections.connect.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundRequest;
import org.junit.jupiter.api.Test;

class CredentialSchemaTest {

    private static final HostPolicy STRICT = new HostPolicy(false);
    private static final CredentialCatalog CATALOG = CredentialCatalog.load(CredentialSchemaTest.class.getClassLoader());

    private static List<String> problems(CredentialType t, String provider, Map<String, String> values) {
        return CredentialSchema.check(t, CATALOG.find(provider).orElse(null), values, STRICT).problems().stream()
                .map(CredentialSchema.Problem::toString).toList();
    }

    @Test
    void theBundledCatalogLoadsWithoutProblemsAndHasRenderAndFreshdesk() {
        assertEquals(List.of(), CATALOG.problems());
        assertTrue(CATALOG.find("render").isPresent());
        assertTrue(CATALOG.find("freshdesk").isPresent());
        assertTrue(CATALOG.all().size() >= 12, "at least twelve API-key/basic providers");
        CATALOG.all().values().forEach(p -> assertFalse(p.docs().isEmpty(), p.name()));
    }

    @Test
    void anApiKeyForRenderSplitsIntoSecretsAndFields() {
        CredentialSchema.Checked c = CredentialSchema.check(CredentialType.API_KEY, CATALOG.find("render").orElseThrow(),
                Map.of("api_key", "rnd_secret"), STRICT);
        assertTrue(c.ok(), c.toString());
        assertEquals(Map.of("api_key", "rnd_secret"), c.secrets());
        assertEquals(Map.of(), c.fields());
        assertFalse(c.toString().contains("rnd_secret"), "the outcome's text never holds a value");
    }

    @Test
    void everyProblemNamesItsFieldAndNeverTheValue() {
        List<String> p = problems(CredentialType.SMTP, null, Map.of("host", "10.0.0.1", "port", "99999",
                "tls", "maybe", "password", "hunter2\u0000", "bogus", "x"));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("host: ")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("port: ")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("tls: ")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("password: must not contain control")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("bogus: is not a field")), p.toString());
        assertFalse(String.join(" ", p).contains("hunter2"));
    }

    @Test
    void requiredFieldsAndProviderParameters() {
        assertTrue(problems(CredentialType.API_KEY, "freshdesk", Map.of()).containsAll(
                List.of("api_key: is required", "domain: is required for freshdesk")));
        // A domain that would leave freshdesk.com is refused by the entry's pattern.
        assertTrue(problems(CredentialType.API_KEY, "freshdesk", Map.of("api_key", "k", "domain", "evil.com/x"))
                .contains("domain: is not a valid value for freshdesk"));
        assertEquals(List.of(), problems(CredentialType.API_KEY, "freshdesk", Map.of("api_key", "k", "domain", "acme")));
        assertTrue(problems(CredentialType.API_KEY, "render", Map.of("api_key", "k", "base_url", "https://evil.example"))
                .contains("base_url: is set by the provider render"));
    }

    @Test
    void hostileHostsAndUrlsAreRefused() {
        for (String host : List.of("localhost", "127.0.0.1", "169.254.169.254", "db.internal", "a..b", "x".repeat(300))) {
            assertFalse(problems(CredentialType.DATABASE, null, Map.of("dialect", "postgresql", "host", host, "port", "5432",
                    "database", "app", "username", "u")).isEmpty(), host);
        }
        assertTrue(problems(CredentialType.GENERIC_HTTP, null, Map.of("base_url", "http://example.com", "token", "t"))
                .stream().anyMatch(s -> s.startsWith("base_url: ")));
        assertTrue(problems(CredentialType.GENERIC_HTTP, null, Map.of("base_url", "https://user:pw@example.com", "token", "t"))
                .stream().anyMatch(s -> s.startsWith("base_url: ")));
        // A database name cannot smuggle JDBC URL parameters.
        assertTrue(problems(CredentialType.DATABASE, null, Map.of("dialect", "postgresql", "host", "db.example.com",
                "port", "5432", "database", "app?socketFactory=x", "username", "u")).stream()
                .anyMatch(s -> s.startsWith("database: ")));
        assertTrue(problems(CredentialType.API_KEY, null, Map.of("api_key", "k", "base_url", "https://api.example.com",
                "header", "Host")).contains("header: is a header the server sets itself"));
        assertTrue(problems(CredentialType.API_KEY, null, Map.of("api_key", "x".repeat(9000), "base_url",
                "https://api.example.com", "header", "X-Key")).contains("api_key: is longer than 8192 characters"));
    }

    @Test
    void passwordsAreNeverSentInTheClearToAPublicHost() {
        assertTrue(problems(CredentialType.SMTP, null, Map.of("host", "smtp.example.com", "port", "25", "tls", "none",
                "username", "u", "password", "p")).contains("tls: a password is never sent in the clear; use TLS"));
        assertEquals(List.of(), problems(CredentialType.SMTP, null, Map.of("host", "smtp.example.com", "port", "587",
                "username", "u", "password", "p")));
    }

    @Test
    void checkRequestsPutTheKeyWhereTheProviderTakesIt() {
        Map<String, String> fields = new HashMap<>(Map.of("domain", "acme"));
        OutboundRequest fd = HttpCheck.request(CredentialType.API_KEY, CATALOG.find("freshdesk").orElseThrow(), fields,
                Map.of("api_key", "KEY"));
        assertEquals("https://acme.freshdesk.com/api/v2/agents/me", fd.url());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("KEY:X".getBytes()), fd.headers().get("Authorization"));
        OutboundRequest dd = HttpCheck.request(CredentialType.API_KEY, CATALOG.find("datadog").orElseThrow(),
                Map.of("site", "datadoghq.eu"), Map.of("api_key", "K"));
        assertEquals("https://api.datadoghq.eu/api/v1/validate", dd.url());
        assertEquals("K", dd.headers().get("DD-API-KEY"));
        OutboundRequest generic = HttpCheck.request(CredentialType.GENERIC_HTTP, null,
                Map.of("base_url", "https://api.example.com/v1"), Map.of("token", "T"));
        assertEquals("HEAD", generic.method());
        assertEquals("Bearer T", generic.headers().get("Authorization"));
    }
}
