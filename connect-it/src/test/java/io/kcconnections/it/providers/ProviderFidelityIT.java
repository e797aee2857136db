package io.kcconnections.it.providers;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.fakes.FakeProvider;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.Vault;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.kcconnections.it.providers.QuirkFakes.SHOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Catalog entries corrected against their providers' documentation (tracker issue 20), each against a contract fake. */
class ProviderFidelityIT extends QuirkContract {

    @Test
    @DisplayName("Atlassian: a refresh refused with unauthorized_client leaves the connection usable; 403 invalid_grant needs reauth")
    void atlassian() throws Exception {
        FakeProvider atl = fake.get("atlassian");
        assertSuccess(connect("atlassian", "atl-1"));
        assertTrue(atl.last("token").contentType().startsWith("application/json"));
        JsonNode t = token("atl-1", "atlassian");
        assertEquals("5b10ac8d82e05b22cc7d4ef5", t.get("account_id").asText());

        atl.refuseRefresh = new FakeProvider.Refusal(403, "unauthorized_client", "the client is not allowed this grant");
        try {
            Db.expireIn(realm.name, "atl-1", 10);
            Http.Resp refused = Connect.token(realm, realm.alice(), "atl-1", "atlassian");
            assertEquals(200, refused.status(), "the current token is still good while the client problem lasts: " + refused);
            assertEquals("refresh:403:unauthorized_client", atl.lastRefusal());
            assertFalse("needs_reauth".equalsIgnoreCase(String.valueOf(Db.row(realm.name, "atl-1").get("STATUS"))),
                    Db.row(realm.name, "atl-1")::toString);
        } finally {
            atl.refuseRefresh = null;
        }
        atl.revokeAll();
        // The backoff the transient failure earned is over; the token is about to expire.
        Db.update("update CONNECT_CONNECTION set REFRESH_AT = ? where CONNECTION_ID = ?", System.currentTimeMillis() - 1000, "atl-1");
        Db.expireIn(realm.name, "atl-1", 10);
        Http.Resp gone = Connect.token(realm, realm.alice(), "atl-1", "atlassian");
        assertEquals(409, gone.status(), gone::toString);
        assertEquals("refresh:403:invalid_grant", atl.lastRefusal());
    }

    @Test
    @DisplayName("HubSpot: a disconnect deletes the refresh token with DELETE /oauth/v1/refresh-tokens/{token}, no body")
    void hubspotRevoke() throws Exception {
        FakeProvider hub = fake.get("hubspot");
        assertSuccess(connect("hubspot", "hub-1"));
        assertEquals("62515", token("hub-1", "hubspot").get("account_id").asText());
        String rt = Vault.decrypt(Db.row(realm.name, "hub-1"), "REFRESH_TOKEN");
        assertTrue(hub.refreshTokenValid(rt));
        Http.Resp d = Http.delete(realm.url("/connect/connections/hub-1?provider=hubspot"), realm.alice());
        assertEquals(204, d.status(), d::toString);
        FakeProvider.Seen seen = hub.seen.stream().filter(s -> s.endpoint().startsWith("revoke")).reduce((a, b) -> b).orElseThrow();
        assertEquals("DELETE", seen.method());
        assertEquals("revoke/" + rt, seen.endpoint());
        assertEquals("", seen.rawBody());
        assertNull(seen.header("authorization"));
        assertFalse(hub.refreshTokenValid(rt), "deleted at HubSpot");
        assertNull(Db.row(realm.name, "hub-1"));
        // The fake's rule: a POST (or a body) is refused.
        Http.Resp post = post(hub.url("revoke/x"), "application/x-www-form-urlencoded", "token=x", Map.of());
        assertEquals(400, post.status());
    }

    @Test
    @DisplayName("Dropbox: get_current_account is a POST with no body and no Content-Type; the fake refuses {}")
    void dropboxAccount() throws Exception {
        FakeProvider dbx = fake.get("dropbox");
        assertSuccess(connect("dropbox", "dbx-fid"));
        assertEquals("dbid:AAH4f99", token("dbx-fid", "dropbox").get("account_id").asText());
        FakeProvider.Seen call = dbx.last("userinfo");
        assertEquals("POST", call.method());
        assertEquals("", call.rawBody());
        assertNull(call.header("content-type"));
        String at = token("dbx-fid", "dropbox").get("token").asText();
        Http.Resp withBody = post(dbx.url("userinfo"), "application/json", "{}", Map.of("Authorization", "Bearer " + at));
        assertEquals(400, withBody.status(), withBody::toString);
    }

    @Test
    @DisplayName("Mailchimp and Basecamp: dc/api_endpoint and the bc3 account id come back in the connection's metadata")
    void accountValues() throws Exception {
        FakeProvider mc = fake.get("mailchimp");
        assertSuccess(connect("mailchimp", "mc-1"));
        JsonNode m = token("mc-1", "mailchimp");
        assertEquals("us19", m.at("/metadata/dc").asText(), m.toString());
        assertEquals("https://us19.api.mailchimp.com", m.at("/metadata/api_endpoint").asText());
        assertEquals("41981", m.get("account_id").asText());
        assertTrue(mc.last("userinfo").header("authorization").startsWith("OAuth "));
        assertFalse(m.hasNonNull("expires_in"), "expires_in 0 means no expiry");
        String at = m.get("token").asText();
        assertEquals(401, Http.get(mc.url("userinfo"), at).status(), "the fake wants OAuth, not Bearer");

        assertSuccess(connect("basecamp", "bc-1"));
        JsonNode b = token("bc-1", "basecamp");
        assertEquals("99999999", b.at("/metadata/account_id").asText(), b.toString());
        assertEquals("https://3.basecampapi.com/99999999", b.at("/metadata/account_href").asText());
        assertEquals("9999999", b.get("account_id").asText());
        Db.expireIn(realm.name, "bc-1", 10);
        JsonNode refreshed = token("bc-1", "basecamp");
        assertNotEquals(b.get("token").asText(), refreshed.get("token").asText());
        assertEquals("99999999", refreshed.at("/metadata/account_id").asText(), "kept after a refresh");
    }

    @Test
    @DisplayName("Shopify: a signed callback for the connection's shop is accepted; tampered, unsigned or another shop's is refused, nothing stored")
    void shopifyCallback() throws Exception {
        FakeProvider shop = fake.get("shopify");
        assertSuccess(connect("shopify", "shop-1", "shop", SHOP));
        assertEquals("1", shop.last("token").params().get("expiring"));
        assertTrue(token("shop-1", "shopify").hasNonNull("token"));

        int exchanges = shop.seen("token").size();
        Map<String, java.util.function.UnaryOperator<Map<String, String>>> attacks = new LinkedHashMap<>();
        attacks.put("shop-tampered", m -> with(fakes.shopifySigned(m), "hmac", flip(fakes.shopifySigned(m).get("hmac"))));
        attacks.put("shop-unsigned", m -> without(m, "hmac"));
        attacks.put("shop-other", m -> fakes.shopifySigned(with(m, "shop", "other-shop.myshopify.com")));
        attacks.put("shop-extra", m -> with(fakes.shopifySigned(m), "extra", "added-after-signing"));
        try {
            for (var a : attacks.entrySet()) {
                shop.callbackParams = a.getValue();
                assertError(connect("shopify", a.getKey(), "shop", SHOP), "callback_refused");
                assertNull(Db.row(realm.name, a.getKey()), a.getKey());
            }
        } finally {
            shop.callbackParams = fakes::shopifySigned;
        }
        assertEquals(exchanges, shop.seen("token").size(), "no refused callback got its code exchanged");
    }

    @Test
    @DisplayName("Instagram: the 1 h token is traded for the 60-day one at once, renewed on graph.instagram.com; error 190 needs reauth")
    void instagram() throws Exception {
        FakeProvider ig = fake.get("instagram");
        assertSuccess(connect("instagram", "ig-1", "scopes", "instagram_business_basic"));
        FakeProvider.Seen exchange = ig.last("access_token");
        assertEquals("GET", exchange.method());
        assertEquals("ig_exchange_token", exchange.params().get("grant_type"));
        JsonNode t = token("ig-1", "instagram");
        String longLived = t.get("token").asText();
        assertTrue(fakes.igLongLived.contains(longLived), "the stored token is the long-lived one");
        assertTrue(t.get("expires_in").asLong() > 59L * 86400, t.toString());
        assertEquals("17841400000000000", t.get("account_id").asText());
        assertEquals("17841400000000000", t.at("/metadata/user_id").asText());
        Map<String, Object> row = Db.row(realm.name, "ig-1");
        long refreshAt = ((Number) row.get("REFRESH_AT")).longValue();
        assertTrue(refreshAt < System.currentTimeMillis() + 31L * 86_400_000, "renewed after 30 days, not at day 60");

        Db.expireIn(realm.name, "ig-1", 10);
        JsonNode renewed = token("ig-1", "instagram");
        assertNotEquals(longLived, renewed.get("token").asText());
        FakeProvider.Seen refresh = ig.last("refresh_access_token");
        assertEquals("ig_refresh_token", refresh.params().get("grant_type"));
        assertEquals(longLived, refresh.params().get("access_token"));
        assertTrue(renewed.get("expires_in").asLong() > 59L * 86400);

        // The fake's rules: the exchange needs the client secret; the refresh takes a long-lived token only.
        assertEquals(400, Http.get(ig.url("access_token") + "?grant_type=ig_exchange_token&access_token=" + Http.enc(longLived), null).status());
        ig.revokeAll();
        Db.expireIn(realm.name, "ig-1", 10);
        Http.Resp gone = Connect.token(realm, realm.alice(), "ig-1", "instagram");
        assertEquals(409, gone.status(), gone::toString);
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> out = new LinkedHashMap<>(m);
        out.put(k, v);
        return out;
    }

    private static Map<String, String> without(Map<String, String> m, String k) {
        Map<String, String> out = new LinkedHashMap<>(m);
        out.remove(k);
        return out;
    }

    private static String flip(String hex) {
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
    }
}
