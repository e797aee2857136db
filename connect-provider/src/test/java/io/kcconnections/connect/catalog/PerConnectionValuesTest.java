package io.kcconnections.connect.catalog;

import io.kcconnections.connect.net.HostPolicy;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-connection template values: open after configuration, checked like configured values when a connection gives them. */
class PerConnectionValuesTest {

    private static final Map<String, ProviderTemplate> CATALOG = Catalog.load(PerConnectionValuesTest.class.getClassLoader()).templates();
    private static final HostPolicy STRICT = new HostPolicy(false);

    private static ProviderConfig realmConfig(String name, Map<String, String> values) {
        return new ProviderConfig(name, "realm", "id", "secret", null, null, null, null, null, null, values, null, null);
    }

    private static ResolvedProvider shopify(Map<String, String> configured) {
        ResolvedProvider.Result r = ResolvedProvider.resolve(CATALOG.get("shopify"), realmConfig("shopify", configured), STRICT);
        assertTrue(r.ok(), r.problems()::toString);
        return r.provider();
    }

    @Test
    void aPerConnectionValueStaysOpenUntilAConnectionGivesIt() {
        ResolvedProvider base = shopify(Map.of());
        assertEquals(List.of("shop"), base.openParams());
        assertNull(base.authorizeUrl(), "the URL needs the shop");

        ResolvedProvider.Result r = base.withConnectionValues(Map.of("shop", "acme.myshopify.com"));
        assertTrue(r.ok(), r.problems()::toString);
        assertEquals("https://acme.myshopify.com/admin/oauth/authorize", r.provider().authorizeUrl());
        assertEquals("https://acme.myshopify.com/admin/oauth/access_token", r.provider().tokenUrl());
        assertEquals(Map.of("shop", "acme.myshopify.com"), r.provider().connectionValues());
        assertTrue(r.provider().openParams().isEmpty());
    }

    @Test
    void hostileOrMissingValuesAreRefusedNamingTheParameter() {
        ResolvedProvider base = shopify(Map.of());
        for (String bad : List.of("evil.com/..", "127.0.0.1", "localhost", "[::1]", "acme.myshopify.com.evil.com",
                "acme.myshopify.com:444", "acme.myshopify.com/x", "user@acme.myshopify.com", "a\nb.myshopify.com")) {
            ResolvedProvider.Result r = base.withConnectionValues(Map.of("shop", bad));
            assertFalse(r.ok(), bad);
            assertTrue(r.problems().get(0).startsWith("shop "), r.problems()::toString);
        }
        ResolvedProvider.Result missing = base.withConnectionValues(Map.of());
        assertFalse(missing.ok());
        assertTrue(missing.problems().get(0).contains("shop is required for each connection"), missing.problems()::toString);

        ResolvedProvider zendesk = ResolvedProvider.resolve(CATALOG.get("zendesk"), realmConfig("zendesk", Map.of()), STRICT).provider();
        for (String bad : List.of("../x", "..", "a.b", "acme/evil")) {
            ResolvedProvider.Result r = zendesk.withConnectionValues(Map.of("subdomain", bad));
            assertFalse(r.ok(), bad);
            assertTrue(r.problems().get(0).startsWith("subdomain"), r.problems()::toString);
        }
        ResolvedProvider.Result dots = ResolvedProvider.resolve(CATALOG.get("keycloak"),
                realmConfig("keycloak", Map.of("base_url", "https://sso.example.com", "realm", "..")), STRICT);
        assertTrue(dots.problems().toString().contains("must not be '.' or '..'"), dots.problems()::toString);
    }

    @Test
    void onlyPerConnectionParametersTakeConnectionValues() {
        ResolvedProvider keycloak = ResolvedProvider.resolve(CATALOG.get("keycloak"),
                realmConfig("keycloak", Map.of("base_url", "https://sso.example.com")), STRICT).provider();
        assertTrue(keycloak.connectionParams().isEmpty());
        assertTrue(keycloak.withConnectionValues(Map.of()).provider() == keycloak, "nothing to apply: the same provider");
        ResolvedProvider.Result r = keycloak.withConnectionValues(Map.of("realm", "other"));
        assertFalse(r.ok(), "the realm of the keycloak template is configured, not chosen per connection");
        assertTrue(r.problems().get(0).contains("not a per-connection value"), r.problems()::toString);
    }

    @Test
    void aConfiguredValueIsTheDefaultAConnectionMayReplace() {
        ResolvedProvider base = shopify(Map.of("shop", "default.myshopify.com"));
        assertTrue(base.openParams().isEmpty());
        assertEquals("https://default.myshopify.com/admin/oauth/authorize",
                base.withConnectionValues(Map.of()).provider().authorizeUrl());
        assertEquals("https://other.myshopify.com/admin/oauth/authorize",
                base.withConnectionValues(Map.of("shop", "other.myshopify.com")).provider().authorizeUrl());
    }

    @Test
    void realmProblemsNameTheRealmSettings() {
        ProviderConfig c = new ProviderConfig("keycloak", "realm", null, "**********", null, null, null, null, null,
                null, Map.of("base_url", "https://127.0.0.1", "colour", "blue"), null, null);
        List<String> p = ResolvedProvider.resolve(CATALOG.get("keycloak"), c, STRICT).problems();
        String all = String.join("\n", p);
        assertTrue(all.contains("client id is missing (clientId)"), all);
        assertTrue(all.contains("placeholder ********** that a partial realm export writes"), all);
        assertTrue(all.contains("base_url (base_url) is refused: IP address literals"), all);
        assertTrue(all.contains("unknown setting 'colour'"), all);
        assertFalse(all.contains("CONNECT_"), "realm problems speak of realm settings: " + all);
    }
}
