package io.kcconnections.connect.store;

import java.util.List;
import java.util.Optional;

/** Typed credentials: insert, conditional update, lookups, removal with their owners. */
public interface CredentialRows {

    Optional<Credential> find(String realmId, String connectionId);

    Optional<Credential> findById(String id);

    List<Credential> listByUser(String realmId, String userId);

    List<Credential> listByOwnerClient(String realmId, String ownerClient);

    /** How many credentials of a type the person (or, when {@code userId} is null, the client) has. */
    long countOfType(String realmId, String userId, String ownerClient, String type);

    /** Inserts a new credential; false when its connection id is taken in the realm (nothing written). */
    boolean insert(Credential c);

    /** Writes fields, secrets and key of {@code next} only if the row is still at {@code next.version()}; whether it did. */
    boolean update(Credential next, long now);

    boolean delete(String id);

    void deleteByUser(String realmId, String userId);

    void deleteByOwnerClient(String realmId, String ownerClient);

    void deleteByRealm(String realmId);

    /** Up to {@code limit} credentials of a realm (every realm when null) whose secrets are under another key. */
    List<Credential> onOtherKeys(String realmId, String keyId, int limit);

    long countOnOtherKeys(String realmId, String keyId);
}
