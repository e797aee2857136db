package io.kcconnections.it.providers;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.Vault;
import io.kcconnections.it.fakes.FakeProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.kcconnections.it.providers.QuirkFakes.QB_REALM_ID;
import static io.kcconnections.it.providers.QuirkFakes.SF_INSTANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values a connection keeps from the provider and returns with its token: QuickBooks' realmId, Salesforce's instance_url. */
class ConnectionValueQuirksIT extends QuirkContract {

    // ---------------------------------------------------------------------------------------------------------------
    // Values the connection keeps: QuickBooks realmId, Salesforce instance_url

    @Test
    @DisplayName("QuickBooks: realmId from the callback is stored and returned in metadata, also after a refresh")
    void quickbooks() throws Exception {
        FakeProvider qb = fake.get("quickbooks");
        String landed = connect("quickbooks", "qb-1");
        assertSuccess(landed);
        assertNull(Http.queryParam(landed, "realmId"), "the app learns it from the token answer, not the redirect");
        JsonNode t = token("qb-1", "quickbooks");
        assertEquals(QB_REALM_ID, t.at("/metadata/realmId").asText(), t.toString());
        assertEquals("qb-user-1", t.get("account_id").asText());
        assertTrue(qb.last("token").header("authorization").startsWith("Basic "));
        Db.expireIn(realm.name, "qb-1", 10);
        JsonNode refreshed = token("qb-1", "quickbooks");
        assertNotEquals(t.get("token").asText(), refreshed.get("token").asText());
        assertEquals(QB_REALM_ID, refreshed.at("/metadata/realmId").asText());
        // Credentials in the body are refused.
        assertRefused(Http.postForm(qb.url("token"), Map.of("grant_type", "authorization_code", "code", "nope",
                "client_id", qb.clientId, "client_secret", qb.clientSecret), null), 401, "invalid_client");
    }

    @Test
    @DisplayName("Salesforce: instance_url is kept; no stated lifetime means 15 minutes; a refresh without refresh token keeps the old one")
    void salesforce() throws Exception {
        FakeProvider sf = fake.get("salesforce");
        assertSuccess(connect("salesforce", "sf-1"));
        JsonNode t = token("sf-1", "salesforce");
        assertEquals(SF_INSTANCE, t.at("/metadata/instance_url").asText());
        long expiresIn = t.get("expires_in").asLong();
        assertTrue(expiresIn > 850 && expiresIn <= 900, "defaultExpiresIn 900: " + expiresIn);
        assertEquals("005xx", t.get("account_id").asText());
        String rt = Vault.decrypt(Db.row(realm.name, "sf-1"), "REFRESH_TOKEN");
        Db.expireIn(realm.name, "sf-1", 10);
        JsonNode refreshed = token("sf-1", "salesforce");
        assertNotEquals(t.get("token").asText(), refreshed.get("token").asText());
        assertEquals(SF_INSTANCE, refreshed.at("/metadata/instance_url").asText());
        assertEquals(rt, Vault.decrypt(Db.row(realm.name, "sf-1"), "REFRESH_TOKEN"));
        assertTrue(sf.refreshTokenValid(rt));
        // An unknown refresh token is invalid_grant.
        assertRefused(Http.postForm(sf.url("token"), Map.of("grant_type", "refresh_token", "refresh_token", "unknown-refresh-token",
                "client_id", sf.clientId, "client_secret", sf.clientSecret), null), 400, "invalid_grant");
    }
}
