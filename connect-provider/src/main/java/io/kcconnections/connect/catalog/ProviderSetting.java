package io.kcconnections.connect.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.keycloak.provider.ProviderConfigProperty;

/**
 * The settings every provider has, defined once: this table drives the environment ({@link EnvProviderConfigs}), the
 * realm component's config and its field descriptions ({@link RealmProviderConfigs}, the component factory), and the
 * admin API's JSON. Template parameter values ({@code base_url}, {@code tenant}, …) are not settings: they are
 * per template.
 * <p>
 * A setting's {@link #key()} is both its realm component config key and its admin API JSON field; both are part of
 * stored data and of the API, so they never change. The order of the constants is the order of the fields the admin
 * console shows.
 */
public enum ProviderSetting {

    ENABLED("enabled", Type.BOOLEAN, null, false, null,
            "Enabled", ProviderConfigProperty.BOOLEAN_TYPE, "true", false,
            "Off hides the provider in this realm, including an environment configuration of it."),
    CLIENT_ID("clientId", Type.STRING, "CLIENT_ID", true, ProviderConfig::clientId,
            "Client ID", ProviderConfigProperty.STRING_TYPE, null, false,
            "The OAuth client id of your app at the provider."),
    CLIENT_SECRET("clientSecret", Type.STRING, "CLIENT_SECRET", true, ProviderConfig::clientSecret,
            "Client secret", ProviderConfigProperty.PASSWORD, null, true,
            "The OAuth client secret, or a ${vault.name} reference resolved in this realm when used."),
    SCOPES("scopes", Type.LIST, "SCOPES", false, ProviderConfig::scopes,
            "Scopes", ProviderConfigProperty.MULTIVALUED_STRING_TYPE, null, false,
            "Scopes requested when the app names none; empty keeps the catalog's defaults."),
    AUTHORIZE_URL("authorizeUrl", Type.STRING, "AUTHORIZE_URL", false, ProviderConfig::authorizeUrl,
            "Authorization URL", ProviderConfigProperty.STRING_TYPE, null, false,
            "Overrides the catalog's authorization endpoint."),
    TOKEN_URL("tokenUrl", Type.STRING, "TOKEN_URL", false, ProviderConfig::tokenUrl,
            "Token URL", ProviderConfigProperty.STRING_TYPE, null, false,
            "Overrides the catalog's token endpoint (also used for refresh)."),
    USERINFO_URL("userinfoUrl", Type.STRING, "USERINFO_URL", false, ProviderConfig::userinfoUrl,
            "Userinfo URL", ProviderConfigProperty.STRING_TYPE, null, false,
            "Overrides the catalog's account (userinfo) endpoint."),
    REVOKE_URL("revokeUrl", Type.STRING, "REVOKE_URL", false, ProviderConfig::revokeUrl,
            "Revocation URL", ProviderConfigProperty.STRING_TYPE, null, false,
            "Overrides the catalog's token revocation endpoint."),
    /** Shown as a list (unset, true, false): unset keeps the template's mode, which a boolean field could not say. */
    PKCE("pkce", Type.BOOLEAN, "PKCE_REQUIRED", false, ProviderConfig::pkce,
            "PKCE", ProviderConfigProperty.LIST_TYPE, null, false,
            "Force PKCE on or off; unset keeps the catalog's mode (off is refused for providers that require it)."),
    LOGIN_ENABLED("loginEnabled", Type.BOOLEAN, "LOGIN_ENABLED", false, ProviderConfig::loginEnabled,
            "Offer for login", ProviderConfigProperty.BOOLEAN_TYPE, "false", false,
            "Also offer the provider for SSO login (a Keycloak identity provider kept in sync)."),
    LOGIN_CONNECT("loginConnect", Type.BOOLEAN, "LOGIN_CONNECT", false, ProviderConfig::loginConnect,
            "Connect at login", ProviderConfigProperty.BOOLEAN_TYPE, "false", false,
            "A login through the provider also stores a connection (encrypted, refreshed)."),
    ALLOWED_CLIENTS("allowedClients", Type.LIST, "ALLOWED_CLIENTS", false, ProviderConfig::allowedClients,
            "Apps that may read tokens", ProviderConfigProperty.MULTIVALUED_STRING_TYPE, null, false,
            "Client IDs of this realm's apps that may read a person's tokens of this provider besides the app that made "
                    + "the connection (reader service accounts always may).");

    /** How a setting's value is typed: a string, a boolean, or a list of strings (the scopes). */
    public enum Type {
        STRING, BOOLEAN, LIST
    }

    private static final Map<String, ProviderSetting> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ProviderSetting::key, s -> s));

    private final String key;
    private final Type type;
    private final String envSuffix;
    private final boolean legacyEnv;
    private final Function<ProviderConfig, Object> accessor;
    private final String label;
    private final String propertyType;
    private final String defaultValue;
    private final boolean secret;
    private final String helpText;

    ProviderSetting(String key, Type type, String envSuffix, boolean legacyEnv, Function<ProviderConfig, Object> accessor,
                    String label, String propertyType, String defaultValue, boolean secret, String helpText) {
        this.key = key;
        this.type = type;
        this.envSuffix = envSuffix;
        this.legacyEnv = legacyEnv;
        this.accessor = accessor;
        this.label = label;
        this.propertyType = propertyType;
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.helpText = helpText;
    }

    /** The realm component config key, which is also the admin API's JSON field. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** The environment variable suffix ({@code CONNECT_<NAME>_<suffix>}); null when the environment has no such setting. */
    public String envSuffix() {
        return envSuffix;
    }

    /** Whether the legacy variables ({@code AUTH_GITHUB_*}, …) are read as a fallback for this setting. */
    public boolean legacyEnv() {
        return legacyEnv;
    }

    /** Whether the value is part of {@link ProviderConfig} ({@link #ENABLED} is kept beside it). */
    public boolean inConfig() {
        return accessor != null;
    }

    /** The setting's value in a configuration: a String, Boolean or List of strings, or null when unset. */
    public Object get(ProviderConfig c) {
        if (accessor == null) {
            throw new IllegalStateException(this + " is not part of a ProviderConfig");
        }
        return accessor.apply(c);
    }

    /** Label of the component property (admin console, server info). */
    public String label() {
        return label;
    }

    /** The {@link ProviderConfigProperty} type of the component property. */
    public String propertyType() {
        return propertyType;
    }

    /** Default shown for the component property; null for none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** Options of a {@link ProviderConfigProperty#LIST_TYPE} property; empty otherwise. */
    public List<String> options() {
        return ProviderConfigProperty.LIST_TYPE.equals(propertyType) ? List.of("true", "false") : List.of();
    }

    /** Whether the value is a secret (masked by Keycloak in partial exports and the console). */
    public boolean secret() {
        return secret;
    }

    public String helpText() {
        return helpText;
    }

    /** The setting with this component key (JSON field); null for any other key, e.g. a template parameter. */
    public static ProviderSetting byKey(String key) {
        return key == null ? null : BY_KEY.get(key);
    }

    /**
     * A text value (an environment variable, a component config value, a JSON string of scopes) as this setting's
     * type: the trimmed string; {@code true}/{@code false} in any case as a Boolean; the scopes split at commas and
     * blanks. Null or blank is null.
     *
     * @throws IllegalArgumentException for a boolean setting whose text is not a boolean
     */
    public Object parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String v = text.trim();
        return switch (type) {
            case STRING -> v;
            case BOOLEAN -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("must be true or false");
                }
                yield Boolean.valueOf(v.toLowerCase(Locale.ROOT));
            }
            case LIST -> Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        };
    }

    /** The text form of a value of this setting (its component config values); empty when unset. */
    public List<String> format(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        String s = value.toString();
        return s.isBlank() ? List.of() : List.of(s.trim());
    }

    /** Checks that a value has this setting's type (String, Boolean, List of strings); null is unset. */
    Object checked(Object value) {
        boolean ok = value == null || switch (type) {
            case STRING -> value instanceof String;
            case BOOLEAN -> value instanceof Boolean;
            case LIST -> value instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
        };
        if (!ok) {
            throw new IllegalArgumentException(key + " takes a " + type.name().toLowerCase(Locale.ROOT) + ", not "
                    + value.getClass().getSimpleName());
        }
        return value;
    }
}
