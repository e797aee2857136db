package io.kcconnections.connect.catalog;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which catalog entries can sign people in, as what, and the refusal of login on the others (one per quirk class). */
class LoginSupportTest {

    private static final Map<String, ProviderTemplate> CATALOG =
            Catalog.load(LoginSupportTest.class.getClassLoader()).templates();

    private static LoginSupport.Kind kind(String name) {
        return LoginSupport.kind(CATALOG.get(name));
    }

    @Test
    void keycloakTypesStayKeycloakTypes() {
        assertEquals(LoginSupport.Kind.SOCIAL, kind("github"));
        assertEquals(LoginSupport.Kind.SOCIAL, kind("google"));
        assertEquals(LoginSupport.Kind.OIDC, kind("dropbox"));
    }

    @Test
    void accountInTheTokenAnswerSignsInThroughTheCatalogType() {
        assertEquals(LoginSupport.Kind.CATALOG, kind("notion"));
        assertEquals(LoginSupport.Kind.CATALOG, kind("calendly"));
    }

    @Test
    void accountAtAUserinfoEndpointSignsInThroughTheCatalogType() {
        assertEquals(LoginSupport.Kind.CATALOG, kind("twitter"));
        assertEquals(LoginSupport.Kind.CATALOG, kind("mailchimp"), "its OAuth scheme applies at login too");
    }

    @Test
    void aHookMakesTheCatalogTypeEvenWithAKeycloakLoginBlock() {
        assertEquals(LoginSupport.Kind.CATALOG, kind("apple"), "the client-secret JWT exists only in the apple hook");
        assertEquals(LoginSupport.Kind.CATALOG, kind("instagram"));
    }

    @Test
    void noAccountOrAnOrganizationIsRefused() {
        assertTrue(LoginSupport.refusal(CATALOG.get("linear")).contains("cannot identify the signed-in account"));
        assertTrue(LoginSupport.refusal(CATALOG.get("stripe")).contains("shared organization"));
        assertTrue(LoginSupport.refusal(CATALOG.get("slack-bot")).contains("shared organization"));
        assertEquals(LoginSupport.Kind.NONE, kind("shopify"));
    }

    @Test
    void everyEntryIsDecidedAndEveryRefusalSaysWhy() {
        Map<LoginSupport.Kind, Integer> counts = new TreeMap<>();
        for (ProviderTemplate t : CATALOG.values()) {
            LoginSupport.Kind k = LoginSupport.kind(t);
            counts.merge(k, 1, Integer::sum);
            assertEquals(k == LoginSupport.Kind.NONE, LoginSupport.refusal(t) != null, t.name());
        }
        System.out.println("[login] catalog entries by login kind: " + counts);
        assertTrue(counts.get(LoginSupport.Kind.CATALOG) > 50, counts::toString);
    }

    @Test
    void turningLoginOnIsRefusedWhereItCannotWork() {
        Map<String, String> env = Map.of("CONNECT_LINEAR_CLIENT_ID", "l", "CONNECT_LINEAR_CLIENT_SECRET", "s",
                "CONNECT_LINEAR_LOGIN_ENABLED", "true",
                "CONNECT_NOTION_CLIENT_ID", "n", "CONNECT_NOTION_CLIENT_SECRET", "s", "CONNECT_NOTION_LOGIN_ENABLED", "true");
        ProviderRegistry r = ProviderRegistry.build(Catalog.load(getClass().getClassLoader()), List.of(), env,
                new HostPolicy(false));
        assertNull(r.find(null, null, "linear"), "not usable");
        List<String> problems = r.providerProblems().get("linear");
        assertTrue(String.join(";", problems).startsWith("CONNECT_LINEAR_LOGIN_ENABLED is refused: provider linear"
                + " cannot identify the signed-in account"), problems::toString);
        assertNotNull(r.find(null, null, "notion"));
        assertTrue(r.find(null, null, "notion").loginEnabled());
    }

    @Test
    void perConnectionValuesWithoutDefaultRefuseLogin() {
        ProviderTemplate zendesk = CATALOG.get("zendesk");
        assertNull(LoginSupport.refusal(zendesk), "zendesk identifies the person");
        ProviderConfig c = new ProviderConfig("zendesk", "realm", "id", "secret", null, null, null, null, null, null,
                Map.of(), true, null);
        String problem = LoginSupport.configProblem(zendesk, c, List.of("subdomain"));
        assertTrue(problem.startsWith("loginEnabled is refused: provider zendesk needs per-connection values (subdomain)"), problem);
    }
}
