package io.kcconnections.connect.store;

import java.util.Map;

/**
 * A typed credential as stored. {@code fields} are the non-secret values in the clear; {@code secrets} maps each
 * secret field to its {@code KeyRing} ciphertext (AAD {@link #aad}), all under {@code keyId}. Times are epoch millis.
 *
 * @param userId      the person it belongs to; null for a client's
 * @param ownerClient the internal id of the client whose service account owns it; null for a person's
 * @param appClient   the internal id of the client (app) that stored it; null when an admin did
 * @param provider    the credential provider (catalog) it is for; null for a generic one
 */
public record Credential(String id, String realmId, String connectionId, String userId, String ownerClient,
                         String appClient, String provider, String type, Map<String, String> fields,
                         Map<String, String> secrets, String keyId, long createdAt, long updatedAt, int version) {

    public Credential {
        fields = Map.copyOf(fields);
        secrets = Map.copyOf(secrets);
    }

    /** The additional data a secret field is encrypted with: its realm, row and field. */
    public static String aad(String realmId, String id, String field) {
        return "credential|" + realmId + "|" + id + "|" + field;
    }

    public boolean clientOwned() {
        return ownerClient != null;
    }

    @Override
    public String toString() {
        return "Credential[" + realmId + "/" + connectionId + ", type=" + type + ", provider=" + provider + "]";
    }
}
