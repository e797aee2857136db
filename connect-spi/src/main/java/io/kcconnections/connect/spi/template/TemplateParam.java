package io.kcconnections.connect.spi.template;

import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A value a template needs before its URLs are usable: a tenant, a shop host, a base URL.
 * It appears as {@code {name}} in the template's URLs and parameters, is configured as
 * {@code CONNECT_<PROVIDER>_<NAME>} in the environment or as {@code name} in a realm's provider configuration.
 *
 * @param name         lower-case identifier, {@code [a-z][a-z0-9_]*}
 * @param description  what an operator should put there
 * @param required     whether the provider is unusable without it (when there is no default)
 * @param defaultValue used when nothing is configured; may be null
 * @param kind         how the value is validated before it is placed into a URL
 * @param pattern      optional extra regular expression the whole value must match
 * @param example      an example value, for documentation and the catalog's own checks
 * @param perConnection the value belongs to each connection (a Shopify shop, a Zendesk subdomain): the app passes it
 *                     to {@code /connect/authorize} as a query parameter of this name, it is validated like a configured
 *                     value, stored with the connection and used for its token, refresh and revoke calls; a configured
 *                     value, if any, is the default
 * @param omitValue    for a {@code segment} parameter: the value that leaves the segment out, {@code /{name}} being
 *                     dropped from every URL (Okta's org authorization server: {@code org} turns
 *                     {@code /oauth2/{authorization_server}/v1/token} into {@code /oauth2/v1/token}); null for none
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record TemplateParam(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("required") boolean required,
        @JsonProperty("default") String defaultValue,
        @JsonProperty("kind") Kind kind,
        @JsonProperty("pattern") String pattern,
        @JsonProperty("example") String example,
        @JsonProperty("perConnection") boolean perConnection,
        @JsonProperty("omitValue") String omitValue) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public TemplateParam {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("param name must match [a-z][a-z0-9_]*: " + name);
        }
        kind = kind == null ? Kind.VALUE : kind;
        if (pattern != null) {
            Pattern.compile(pattern);
        }
        if (omitValue != null && kind != Kind.SEGMENT) {
            throw new IllegalArgumentException("param " + name + ": omitValue is only for segment parameters");
        }
    }

    /** A parameter without {@link #omitValue()}. */
    public TemplateParam(String name, String description, boolean required, String defaultValue, Kind kind,
                         String pattern, String example, boolean perConnection) {
        this(name, description, required, defaultValue, kind, pattern, example, perConnection, null);
    }

    /** Whether this value means "leave the segment out" ({@link #omitValue()}). */
    public boolean omits(String value) {
        return omitValue != null && omitValue.equals(value);
    }

    /** Host names no provider owns: a host-valued parameter whose pattern admits them admits any host. */
    private static final java.util.List<String> FOREIGN_HOSTS = java.util.List.of("attacker.example", "evil.example.com",
            "x.attacker.example");

    /**
     * Whether the value may name a host the provider does not own (a {@code host} or {@code url} parameter without a
     * pattern, or with one that admits a foreign host): such a value must never come from a user, or the operator's
     * client credentials would be sent where the user likes.
     */
    public boolean namesAnyHost() {
        if (kind != Kind.HOST && kind != Kind.URL) {
            return false;
        }
        if (pattern == null) {
            return true;
        }
        Pattern compiled = Pattern.compile(pattern);
        return FOREIGN_HOSTS.stream().anyMatch(h -> compiled.matcher(h).matches()
                || compiled.matcher("https://" + h).matches() || compiled.matcher("https://" + h + "/").matches());
    }

    /** The suffix of the environment variable: {@code tenant_id} becomes {@code TENANT_ID}. */
    public String envSuffix() {
        return name.toUpperCase(Locale.ROOT);
    }

    /** How a parameter value is checked before use. */
    public enum Kind {
        /** A DNS host name (no scheme, port or path), checked by the outbound host policy. */
        HOST,
        /** An absolute https URL without query or fragment (a base URL); its host is checked like {@link #HOST}. */
        URL,
        /** A single path segment: letters, digits, {@code . _ -}. */
        SEGMENT,
        /** Any short text; URL-encoded where it is placed. */
        VALUE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind of(String v) {
            return v == null ? null : Kind.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
    }
}
