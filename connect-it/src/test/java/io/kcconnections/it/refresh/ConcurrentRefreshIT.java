package io.kcconnections.it.refresh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The upstream rotates refresh tokens with max reuse 0: a second refresh with the same refresh token would break the
 * connection. Many concurrent reads of an expiring connection must cause exactly one refresh.
 */
class ConcurrentRefreshIT {

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("50 concurrent reads of an expiring connection: one refresh at the upstream, 50 valid answers, still active")
    void fiftyConcurrentReads() throws Exception {
        String alice = realm.alice();
        String[] person = realm.upstreamUser();
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "hot", person), "success"));
        String upstreamUserId = realm.admin().get("/upstream/users?exact=true&username=" + person[0]).json().get(0).get("id").asText();
        String before = Connect.token(realm, alice, "hot", "keycloak").json().get("token").asText();
        Thread.sleep(1100); // Keycloak compares refresh-token issue times in whole seconds
        Db.expireIn(realm.name, "hot", 10);

        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Resp>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return Connect.token(realm, alice, "hot", "keycloak");
            }));
        }
        go.countDown();
        Set<String> tokens = new HashSet<>();
        for (Future<Http.Resp> f : answers) {
            Http.Resp r = f.get();
            assertEquals(200, r.status(), r::toString);
            tokens.add(r.json().get("token").asText());
        }
        pool.shutdown();
        assertEquals(1, tokens.size(), "every reader got the same, refreshed token");
        String after = tokens.iterator().next();
        assertNotEquals(before, after);
        assertEquals(1, realm.admin().get("/upstream/events?type=REFRESH_TOKEN&user=" + upstreamUserId + "&max=100").json().size(),
                "exactly one refresh at the upstream");
        assertEquals(0, realm.admin().get("/upstream/events?type=REFRESH_TOKEN_ERROR&user=" + upstreamUserId + "&max=100").json().size());
        assertEquals(200, Http.get(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/userinfo", after).status());
        assertEquals("active", Db.row(realm.name, "hot").get("STATUS"));
    }
}
