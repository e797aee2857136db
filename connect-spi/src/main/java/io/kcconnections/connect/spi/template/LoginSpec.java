package io.kcconnections.connect.spi.template;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the provider becomes a Keycloak identity provider when login is enabled for it.
 *
 * @param type       {@code social} (a Keycloak built-in social provider), {@code oidc} (OpenID Connect with discovery),
 *                   {@code oauth2} (Keycloak's generic OAuth 2.0 provider with a userinfo endpoint), or {@code none}
 * @param providerId the Keycloak identity-provider type for {@code social} (e.g. {@code github},
 *                   {@code linkedin-openid-connect}); ignored otherwise
 * @param issuer     for {@code oidc}: the issuer, whose {@code /.well-known/openid-configuration} is read
 * @param userinfoUrl for {@code oauth2}: the userinfo endpoint (default: the account spec's)
 * @param claims     for {@code oauth2}: Keycloak's claim keys ({@code userIDClaim}, {@code userNameClaim},
 *                   {@code emailClaim}, …) to their values
 * @param scopes     scopes a login asks for (default: the provider's default scopes)
 * @param issuerWhenOmitted for {@code oidc}: the issuer when a segment parameter of the issuer takes its
 *                   {@code omitValue} (Okta's org authorization server is the org itself, {@code https://{domain}});
 *                   null: the issuer with the segment left out
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record LoginSpec(
        @JsonProperty("type") Type type,
        @JsonProperty("providerId") String providerId,
        @JsonProperty("issuer") String issuer,
        @JsonProperty("userinfoUrl") String userinfoUrl,
        @JsonProperty("claims") Map<String, String> claims,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("issuerWhenOmitted") String issuerWhenOmitted) {

    public static final LoginSpec NONE = new LoginSpec(Type.NONE, null, null, null, null, null, null);

    /** A login spec without {@link #issuerWhenOmitted()}. */
    public LoginSpec(Type type, String providerId, String issuer, String userinfoUrl, Map<String, String> claims,
                     List<String> scopes) {
        this(type, providerId, issuer, userinfoUrl, claims, scopes, null);
    }

    public LoginSpec {
        type = type == null ? Type.NONE : type;
        claims = claims == null ? Map.of() : Map.copyOf(claims);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        if (type == Type.SOCIAL && (providerId == null || providerId.isBlank())) {
            throw new IllegalArgumentException("login.providerId is required for login type social");
        }
        if (type == Type.OIDC && (issuer == null || issuer.isBlank())) {
            throw new IllegalArgumentException("login.issuer is required for login type oidc");
        }
    }

    /** The kind of Keycloak identity provider. */
    public enum Type {
        SOCIAL, OIDC, OAUTH2, NONE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Type of(String v) {
            return v == null ? null : Type.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
    }
}
