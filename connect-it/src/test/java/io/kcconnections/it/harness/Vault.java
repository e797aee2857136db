package io.kcconnections.it.harness;

import java.util.List;
import java.util.Map;

import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.store.TokenCodec;

/** Decrypts stored columns in the test, with the extension's own key-ring code and the test key. */
public final class Vault {

    private Vault() {
    }

    public static KeyRing ring(String... keys) {
        byte[] primary = KeyRing.parseKey(keys.length == 0 ? TestServer.ENCRYPTION_KEY : keys[0]);
        List<byte[]> old = new java.util.ArrayList<>();
        for (int i = 1; i < keys.length; i++) {
            old.add(KeyRing.parseKey(keys[i]));
        }
        return KeyRing.of(primary, old);
    }

    public static String decrypt(Map<String, Object> row, String column, String... keys) throws KeyRing.DecryptionException {
        String field = switch (column) {
            case "ACCESS_TOKEN" -> TokenCodec.ACCESS;
            case "REFRESH_TOKEN" -> TokenCodec.REFRESH;
            case "RAW_TOKEN" -> TokenCodec.RAW;
            default -> throw new IllegalArgumentException(column);
        };
        String plain = ring(keys).decrypt((String) row.get(column),
                TokenCodec.aad((String) row.get("REALM_ID"), (String) row.get("ID"), field));
        return SecretLedger.note(plain);
    }
}
