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

    /** Inserts an admin's client (outside every quota); a concurrent insert for the same issuer makes the flush fail. */
    void insert(ClientRegistration r);

    /** Where a registration stands against the quotas. */
    enum Quota { TAKEN, REALM_FULL, PERSON_FULL }

    /**
     * Inserts a registration made for a person's connect if both quotas have room: it takes the lowest free slot of
     * the realm's {@code maxPerRealm} and of the person's {@code maxPerPerson}. Slots are unique, so two concurrent
     * inserts never both take the last one: the loser's flush fails (as for the same issuer), and the caller re-reads.
     */
    Quota insertWithin(ClientRegistration r, String person, int maxPerRealm, int maxPerPerson);

    /** How many registrations made for this person's connects the realm has. */
    long countBy(String realmId, String person);

    /** Records the authorization server's endpoints as just discovered. */
    void updateEndpoints(String id, Map<String, String> endpoints, long now);

    boolean delete(String id);

    /** How many of the realm's clients Keycloak registered itself (the realm's quota counts these). */
    long countDynamic(String realmId);

    /** The realm's registrations, oldest first. */
    List<ClientRegistration> list(String realmId);

    int deleteByRealm(String realmId);

    /** A page of registrations (of a realm, or every realm when null) under another key than {@code keyId}, by id. */
    List<ClientRegistration> onOtherKeys(String realmId, String keyId, String afterId, int limit);

    long countOnOtherKeys(String realmId, String keyId);

    /**
     * Writes a registration's ciphertexts re-encrypted under {@code keyId}, only if they are still the ones read
     * ({@code old}): a registration replaced meanwhile is left alone.
     */
    boolean rewrap(ClientRegistration old, String keyId, String secret, String registrationToken);
}
