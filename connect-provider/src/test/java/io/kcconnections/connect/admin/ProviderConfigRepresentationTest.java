package io.kcconnections.connect.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.catalog.Catalog;
import io.kcconnections.connect.catalog.ProviderConfig;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ProviderSetting;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API's JSON of a provider configuration: the fields of an answer, and how strictly a PUT body is read. */
class ProviderConfigRepresentationTest {

    private static final ProviderTemplate KEYCLOAK = Catalog.load(ProviderConfigRepresentationTest.class.getClassLoader())
            .templates().get("keycloak");

    private static ProviderConfigRepresentation body(String json) throws Exception {
        return JsonSerialization.mapper.readValue(json, ProviderConfigRepresentation.class);
    }

    private static JsonNode answer(ProviderRegistry.Source source, String secret, boolean enabled, List<String> problems) {
        ProviderConfig c = new ProviderConfig("keycloak", source.id(), "id", secret, null, null, "https://t.example.com",
                null, null, Boolean.TRUE, Map.of("realm", "r"), null, Boolean.FALSE);
        ProviderRegistry.Entry e = new ProviderRegistry.Entry("keycloak", source, KEYCLOAK, c, enabled, null, problems,
                "c1", true);
        return JsonSerialization.mapper.valueToTree(ProviderConfigRepresentation.of(e));
    }

    @Test
    void anAnswerHasEveryFieldInOrderAndNeverASecret() {
        JsonNode a = answer(ProviderRegistry.Source.REALM, "s3cret", true, List.of());
        List<String> fields = new ArrayList<>();
        a.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("name", "displayName", "category", "source", "enabled", "status", "problems",
                "overridesEnvironment", "clientId", "clientSecret", "clientSecretSet", "scopes", "authorizeUrl", "tokenUrl",
                "userinfoUrl", "revokeUrl", "pkce", "loginEnabled", "loginConnect", "allowedClients", "values", "connectionParams"),
                fields);
        assertEquals("**********", a.get("clientSecret").asText());
        assertFalse(a.toString().contains("s3cret"));
        assertTrue(a.get("clientSecretSet").asBoolean());
        assertTrue(a.get("scopes").isNull(), "unset settings are answered as null");
        assertTrue(a.get("loginEnabled").isNull());
        assertEquals(false, a.get("loginConnect").asBoolean(true));
        assertEquals("ok", a.get("status").asText());
        assertEquals("realm", a.get("source").asText());
        assertEquals("r", a.get("values").get("realm").asText());
        for (ProviderSetting s : ProviderSetting.values()) {
            assertTrue(a.has(s.key()), "every setting is a field: " + s.key());
        }
    }

    @Test
    void anEnvironmentEntryWithoutSecretHasNoSecretFieldsAndAVaultReferenceIsShown() {
        JsonNode env = answer(ProviderRegistry.Source.ENV, null, true, List.of());
        assertFalse(env.has("clientSecret"));
        assertFalse(env.has("overridesEnvironment"));
        assertFalse(env.get("clientSecretSet").asBoolean());
        JsonNode vault = answer(ProviderRegistry.Source.REALM, "${vault.kc}", false, List.of());
        assertEquals("${vault.kc}", vault.get("clientSecret").asText());
        assertEquals("disabled", vault.get("status").asText());
        assertFalse(vault.get("enabled").asBoolean());
        assertEquals("problems", answer(ProviderRegistry.Source.REALM, null, true, List.of("x")).get("status").asText());
    }

    @Test
    void aBodyBecomesTheConfiguration() throws Exception {
        ProviderConfigRepresentation r = body("{\"clientId\": \" id \", \"clientSecret\": \"s\", \"scopes\": \"a, b c\","
                + " \"pkce\": false, \"enabled\": false, \"tokenUrl\": \" \", \"loginEnabled\": null,"
                + " \"values\": {\"realm\": \" r \", \"tenant\": \"\", \"base_url\": null},"
                + " \"status\": 5, \"problems\": [\"whatever\"], \"name\": \"keycloak\"}");
        assertEquals(List.of(), r.problems("keycloak"));
        assertFalse(r.enabled());
        assertEquals(new ProviderConfig("keycloak", "realm", "id", "kept", List.of("a", "b", "c"), null, null, null, null,
                Boolean.FALSE, Map.of("realm", "r"), null, null), r.toConfig("keycloak", "kept"));
        assertEquals(List.of("x", "y"), body("{\"scopes\": [\" x \", \"\", \"y\"]}").setting(ProviderSetting.SCOPES));
        assertTrue(body("{}").enabled());
        assertEquals(null, body("{\"scopes\": []}").setting(ProviderSetting.SCOPES));
    }

    @Test
    void aBodyIsReadStrictlyWithEveryProblemInFieldOrder() throws Exception {
        ProviderConfigRepresentation r = body("{\"clientId\": 5, \"name\": \"other\", \"pkce\": \"true\","
                + " \"scopes\": [\"a\", 1], \"values\": {\"realm\": 1, \"clientId\": \"x\", \"Bad\": \"y\"},"
                + " \"clientSecrett\": \"x\", \"enabled\": \"no\"}");
        assertEquals(List.of("'clientId' must be a string", "name 'other' does not match the path (keycloak)",
                "'pkce' must be true or false", "'scopes' must be a list of strings", "values.realm must be a string",
                "'clientId' is not a template parameter name", "'Bad' is not a template parameter name",
                "unknown field 'clientSecrett'", "'enabled' must be true or false"), r.problems("keycloak"));
        assertEquals(List.of("'scopes' must be a list of strings"), body("{\"scopes\": {}}").problems("x"));
        assertEquals(List.of("'values' must be an object of template parameter names to strings"),
                body("{\"values\": []}").problems("x"));
        assertEquals(List.of(), body("{\"name\": \"x\"}").problems("x"));
    }

    @Test
    void aBodyThatIsNoObjectIsAProblem() throws Exception {
        for (String json : List.of("[]", "5", "\"x\"", "true", "[{\"clientId\": \"x\"}]")) {
            assertEquals(List.of("the body must be a JSON object"), body(json).problems("x"), json);
        }
    }
}
