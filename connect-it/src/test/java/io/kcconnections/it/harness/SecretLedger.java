package io.kcconnections.it.harness;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret the tests see (tokens, codes, client secrets, keys) is noted here; {@link io.kcconnections.it.security.LogHygieneIT} then checks
 * that none of them appears in any server log of the run.
 */
public final class SecretLedger {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private SecretLedger() {
    }

    /** Notes a secret (values shorter than 12 characters are too common to search for). */
    public static String note(String secret) {
        if (secret != null && secret.length() >= 12) {
            SECRETS.add(secret);
        }
        return secret;
    }

    public static Set<String> all() {
        return Set.copyOf(SECRETS);
    }
}
