package io.kcconnections.connect.refresh;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Lease owner ids: this JVM's node id (8 characters, logged at start-up) followed by a random part, so a claim in
 * the database tells which node holds it (36 characters, the column's width).
 */
public final class LeaseOwners {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NODE = random(6);

    private LeaseOwners() {
    }

    public static String node() {
        return NODE;
    }

    public static String next() {
        return NODE + "-" + random(21).substring(0, 27);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
