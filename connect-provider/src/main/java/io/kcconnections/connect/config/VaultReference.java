package io.kcconnections.connect.config;

import java.util.regex.Pattern;

/**
 * A {@code ${vault.name}} reference in a setting: resolved through Keycloak's vault ({@code session.vault()}) when
 * used, never stored resolved.
 */
public final class VaultReference {

    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{vault\\.(.+?)}$");

    private VaultReference() {
    }

    /** Whether the whole value is one vault reference. */
    public static boolean is(String value) {
        return value != null && REFERENCE.matcher(value).matches();
    }
}
