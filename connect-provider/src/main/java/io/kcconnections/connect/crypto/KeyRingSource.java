package io.kcconnections.connect.crypto;

import java.util.ArrayList;
import java.util.List;

import io.kcconnections.connect.config.VaultReference;

/**
 * Turns the configured key texts into the server's {@link KeyRing}, once, at start-up. The key is the server's, the
 * same for every realm: it comes from the option, the environment or Keycloak's config keystore
 * ({@code --config-keystore}), never from a realm's vault, whose secrets are that realm's (a realm's vault namespace
 * could then choose, or swap, the key other realms' rows are read with). A {@code ${vault.…}} reference is refused
 * with a reason. Every failure carries a reason that is safe to log and to show (it never contains key material).
 */
public final class KeyRingSource {

    private final KeyRing ring;
    private final String problem;

    public KeyRingSource(String primary, List<String> old) {
        String p = null;
        KeyRing r = null;
        try {
            r = build(primary, old);
        } catch (KeyUnavailableException e) {
            p = e.getMessage();
        }
        this.ring = r;
        this.problem = p;
    }

    /** The start-up verdict: null when usable, else why not. */
    public String check() {
        return problem;
    }

    /**
     * The ring, the same for every realm.
     *
     * @throws KeyUnavailableException with a reason fit for logs and error responses
     */
    public KeyRing ring() throws KeyUnavailableException {
        if (ring == null) {
            throw new KeyUnavailableException(problem);
        }
        return ring;
    }

    private static KeyRing build(String primary, List<String> old) throws KeyUnavailableException {
        if (primary == null) {
            throw new KeyUnavailableException("no token encryption key is configured (CONNECT_TOKEN_ENCRYPTION_KEY or "
                    + "--spi-connect--default--token-encryption-key)");
        }
        byte[] p = parse(primary, "the token encryption key");
        List<byte[]> olds = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            olds.add(parse(old.get(i), "old token encryption key #" + (i + 1)));
        }
        return KeyRing.of(p, olds);
    }

    private static byte[] parse(String value, String what) throws KeyUnavailableException {
        if (VaultReference.is(value)) {
            throw new KeyUnavailableException(what + " is a ${vault.…} reference, which is a realm's secret: the key is "
                    + "the server's; give it as the option, the environment variable or through Keycloak's config keystore");
        }
        try {
            return KeyRing.parseKey(value);
        } catch (IllegalArgumentException e) {
            throw new KeyUnavailableException(what + " is unusable: " + e.getMessage());
        }
    }

    /** No usable key: the reason is safe to show. */
    public static final class KeyUnavailableException extends Exception {
        public KeyUnavailableException(String reason) {
            super(reason);
        }
    }
}
