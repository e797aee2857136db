package io.kcconnections.connect.crypto;

import java.util.function.Function;
import io.kcconnections.connect.config.VaultReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * Turns the configured key texts into a {@link KeyRing}. Plain keys are parsed once; {@code ${vault.name}}
 * references are resolved through Keycloak's vault in the realm at hand and cached for a minute.
 * Every failure carries a reason that is safe to log and to show (it never contains key material).
 */
public final class KeyRingSource {

    private static final long VAULT_CACHE_MILLIS = 60_000;

    private final String primary;
    private final List<String> old;
    private final boolean usesVault;
    private final KeyRing staticRing;
    private final String staticProblem;
    private final ConcurrentHashMap<String, Cached> byRealm = new ConcurrentHashMap<>();

    private record Cached(KeyRing ring, String problem, long at) {
    }

    public KeyRingSource(String primary, List<String> old) {
        this.primary = primary;
        this.old = List.copyOf(old);
        boolean vault = primary != null && VaultReference.is(primary);
        for (String o : old) {
            vault |= VaultReference.is(o);
        }
        this.usesVault = vault;
        if (!vault) {
            Cached c = build(s -> s);
            this.staticRing = c.ring;
            this.staticProblem = c.problem;
        } else {
            this.staticRing = null;
            this.staticProblem = null;
        }
    }

    /** Whether any key is a vault reference (then {@link #check()} cannot tell without a realm). */
    public boolean usesVault() {
        return usesVault;
    }

    /** The start-up verdict for plain keys: null when usable, else why not. */
    public String check() {
        return usesVault ? null : staticProblem;
    }

    /**
     * The ring for a realm.
     *
     * @throws KeyUnavailableException with a reason fit for logs and error responses
     */
    public KeyRing ring(KeycloakSession session, RealmModel realm) throws KeyUnavailableException {
        if (!usesVault) {
            if (staticRing == null) {
                throw new KeyUnavailableException(staticProblem);
            }
            return staticRing;
        }
        long now = System.currentTimeMillis();
        Cached c = byRealm.get(realm.getId());
        if (c == null || now - c.at > VAULT_CACHE_MILLIS) {
            RealmModel previous = session.getContext().getRealm();
            try {
                if (previous == null) {
                    session.getContext().setRealm(realm);
                }
                c = build(ref -> resolve(session, ref));
            } finally {
                if (previous == null) {
                    session.getContext().setRealm(null);
                }
            }
            c = new Cached(c.ring, c.problem, now);
            byRealm.put(realm.getId(), c);
        }
        if (c.ring == null) {
            throw new KeyUnavailableException(c.problem);
        }
        return c.ring;
    }

    private Cached build(Function<String, String> resolver) {
        if (primary == null) {
            return new Cached(null, "no token encryption key is configured (CONNECT_TOKEN_ENCRYPTION_KEY or "
                    + "--spi-connect--default--token-encryption-key)", 0);
        }
        byte[] p;
        try {
            String v = resolver.apply(primary);
            if (v == null) {
                return new Cached(null, "the vault has no secret for the token encryption key reference", 0);
            }
            p = KeyRing.parseKey(v);
        } catch (IllegalArgumentException e) {
            return new Cached(null, "the token encryption key is unusable: " + e.getMessage(), 0);
        }
        List<byte[]> olds = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            try {
                String v = resolver.apply(old.get(i));
                if (v == null) {
                    return new Cached(null, "the vault has no secret for old key #" + (i + 1), 0);
                }
                olds.add(KeyRing.parseKey(v));
            } catch (IllegalArgumentException e) {
                return new Cached(null, "old token encryption key #" + (i + 1) + " is unusable: " + e.getMessage(), 0);
            }
        }
        return new Cached(KeyRing.of(p, olds), null, 0);
    }

    private static String resolve(KeycloakSession session, String value) {
        if (!VaultReference.is(value)) {
            return value;
        }
        try (VaultStringSecret s = session.vault().getStringSecret(value)) {
            return s.get().orElse(null);
        }
    }

    /** No usable key: the reason is safe to show. */
    public static final class KeyUnavailableException extends Exception {
        public KeyUnavailableException(String reason) {
            super(reason);
        }
    }
}
