package io.kcconnections.connect.catalog;

import java.util.List;

import io.kcconnections.connect.spi.template.AccountSpec;
import io.kcconnections.connect.spi.template.LoginSpec;
import io.kcconnections.connect.spi.template.ProviderTemplate;

/**
 * Whether, and as which kind of Keycloak identity provider, a template can sign people in. The one place that decides
 * it: the login sync, the validation of a configuration that turns login on, and the catalog's {@code loginCapable}.
 * <ul>
 * <li>{@link Kind#SOCIAL}, {@link Kind#OIDC}, {@link Kind#OAUTH2}: the template's {@code login:} block names one of
 * Keycloak's own identity provider types, which need nothing of this extension at login;</li>
 * <li>{@link Kind#CATALOG}: the extension's own identity provider type ({@code kc-connections}), which signs in with the
 * very requests and account lookup a connection uses: every quirk of the template and its hook apply. Used for a
 * template without a {@code login:} block that identifies the person through its {@code account:} (userinfo
 * endpoint, ID token or the token response), and for every template with a hook (Sign in with Apple's client-secret
 * JWT; a hook works only in this extension's calls);</li>
 * <li>{@link Kind#NONE}: the provider cannot say who signed in ({@link #refusal}).</li>
 * </ul>
 */
public final class LoginSupport {

    /** How a provider signs people in. */
    public enum Kind {
        SOCIAL, OIDC, OAUTH2, CATALOG, NONE
    }

    private LoginSupport() {
    }

    /** The kind of identity provider login through this template makes; {@link Kind#NONE} when it cannot. */
    public static Kind kind(ProviderTemplate t) {
        if (refusal(t) != null) {
            return Kind.NONE;
        }
        if (t.hook() != null || t.login().type() == LoginSpec.Type.NONE) {
            return Kind.CATALOG;
        }
        return switch (t.login().type()) {
            case SOCIAL -> Kind.SOCIAL;
            case OIDC -> Kind.OIDC;
            default -> Kind.OAUTH2;
        };
    }

    /** Whether the template can sign people in. */
    public static boolean capable(ProviderTemplate t) {
        return kind(t) != Kind.NONE;
    }

    /**
     * Why the template cannot sign people in (a sentence for a validation error, no secrets), or null when it can.
     */
    public static String refusal(ProviderTemplate t) {
        if (t.authorizeUrl() == null || t.authorizeUrl().isBlank()) {
            return "provider " + t.name() + " has no authorization endpoint, so there is no browser sign-in to broker";
        }
        boolean keycloakType = t.login().type() != LoginSpec.Type.NONE && t.hook() == null;
        if (keycloakType) {
            return null;
        }
        AccountSpec a = t.account();
        if (a == null) {
            return "provider " + t.name() + " cannot identify the signed-in account: its catalog entry names no OIDC"
                    + " userinfo, ID token or account endpoint";
        }
        if (a.subject() == AccountSpec.Subject.ORGANIZATION) {
            return "provider " + t.name() + " identifies only a shared organization (workspace, team, company or"
                    + " merchant account), not the person who signed in";
        }
        return null;
    }

    /**
     * The problem of a configuration that turns login on for a template that cannot sign people in, or whose
     * per-connection values have no configured default (a login has no place to ask for them); null otherwise.
     *
     * @param open per-connection parameters without a value
     */
    static String configProblem(ProviderTemplate t, ProviderConfig c, List<String> open) {
        if (!Boolean.TRUE.equals(c.loginEnabled())) {
            return null;
        }
        String setting = "realm".equals(c.source()) ? "loginEnabled" : t.envPrefix() + "LOGIN_ENABLED";
        String why = refusal(t);
        if (why == null && !open.isEmpty()) {
            why = "provider " + t.name() + " needs per-connection values (" + String.join(", ", open) + ") that a"
                    + " login cannot ask for; configure them for the provider to sign people in";
        }
        return why == null ? null : setting + " is refused: " + why;
    }
}
