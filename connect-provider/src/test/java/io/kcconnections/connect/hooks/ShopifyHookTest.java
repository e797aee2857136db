package io.kcconnections.connect.hooks;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kcconnections.connect.catalog.Catalog;
import io.kcconnections.connect.spi.ProviderHook;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShopifyHookTest {

    private static final ShopifyHook HOOK = new ShopifyHook();
    private static final ProviderHook.Context SOME_SHOP = new ProviderHook.Context(null, null,
            Catalog.load(ShopifyHookTest.class.getClassLoader()).templates().get("shopify"),
            Map.of("shop", "some-shop.myshopify.com"), "the-client");

    /** Shopify's documented example callback, signed with the secret "hush". */
    private static Map<String, String> documented() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", "0907a61c0c8d55e99db179b68161bc00");
        q.put("hmac", "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf");
        q.put("shop", "some-shop.myshopify.com");
        q.put("state", "0.6784241404160823");
        q.put("timestamp", "1337178173");
        return q;
    }

    @Test
    @DisplayName("the signed text is every parameter but hmac, sorted, name=value joined with &; Shopify's example verifies")
    void documentedExample() {
        assertEquals("code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823"
                + "&timestamp=1337178173", ShopifyHook.message(documented()));
        assertEquals(documented().get("hmac"), ShopifyHook.sign(ShopifyHook.message(documented()), "hush"));
        assertNull(HOOK.verifyCallback(SOME_SHOP, documented(), "hush"));
    }

    @Test
    @DisplayName("a tampered or missing hmac, another shop, a foreign host or another secret is refused")
    void refusals() {
        Map<String, String> tampered = documented();
        tampered.put("hmac", "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4be");
        assertEquals("hmac does not match", HOOK.verifyCallback(SOME_SHOP, tampered, "hush"));
        Map<String, String> extra = documented();
        extra.put("host", "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvc29tZS1zaG9w");
        assertEquals("hmac does not match", HOOK.verifyCallback(SOME_SHOP, extra, "hush"), "every parameter is signed");
        Map<String, String> missing = documented();
        missing.remove("hmac");
        assertEquals("hmac is missing", HOOK.verifyCallback(SOME_SHOP, missing, "hush"));
        assertEquals("hmac does not match", HOOK.verifyCallback(SOME_SHOP, documented(), "not-hush"));

        ProviderHook.Context other = new ProviderHook.Context(null, null, SOME_SHOP.template(),
                Map.of("shop", "other-shop.myshopify.com"), "the-client");
        assertEquals("shop is not the shop the connection was started for", HOOK.verifyCallback(other, documented(), "hush"));
        Map<String, String> foreign = documented();
        foreign.put("shop", "some-shop.myshopify.com.evil.example");
        assertTrue(HOOK.verifyCallback(SOME_SHOP, foreign, "hush").startsWith("shop is missing or not"));
        assertFalse(ShopifyHook.SHOP.matcher("-x.myshopify.com").matches());
        String refusal = HOOK.verifyCallback(SOME_SHOP, tampered, "hush");
        assertFalse(refusal.contains("hush"), "the secret never appears in a refusal");
    }
}
