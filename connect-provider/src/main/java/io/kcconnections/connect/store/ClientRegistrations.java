package io.kcconnections.connect.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.jose.jws.crypto.HashUtils;

/**
 * The realm's clients at MCP authorization servers (dynamic registrations and admin-configured ones), one per
 * (realm, issuer): the unique key decides races. Obtain it with {@link Stores#registrations}.
 */
public interface ClientRegistrations {

    /** The indexed form of an issuer (issuers can be longer than an index allows). */
    static String issuerHash(String issuer) {
        return HashUtils.sha256UrlEncodedHash(issuer, StandardCharsets.UTF_8);
    }

    Optional<ClientRegistration> find(String realmId, String issuer);

    /** Inserts; a concurrent registration for the same issuer makes the flush fail (the caller re-reads). */
    void insert(ClientRegistration r);

    /** Records the authorization server's endpoints as just discovered. */
    void updateEndpoints(String id, Map<String, String> endpoints, long now);

    boolean delete(String id);

    long count(String realmId);

    /** The realm's registrations, oldest first. */
    List<ClientRegistration> list(String realmId);

    int deleteByRealm(String realmId);
}
