package io.kcconnections.connect.catalog;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a deployment or a realm configures one provider: credentials and overrides. Secrets may be
 * {@code ${vault.name}} references, resolved only when a request needs them.
 *
 * @param name         catalog name
 * @param source       where this came from ({@code env}, {@code env-legacy}, {@code realm}), for diagnostics
 * @param clientId     OAuth client id
 * @param clientSecret OAuth client secret or vault reference; null for public clients
 * @param scopes       scopes replacing the template's defaults; null keeps them
 * @param authorizeUrl override; null keeps the template's
 * @param tokenUrl     override
 * @param userinfoUrl  override
 * @param revokeUrl    override
 * @param pkce         true forces PKCE on, false off (unless the template requires it); null keeps the template's mode
 * @param values       template parameter values (tenant, domain, …)
 * @param loginEnabled whether the provider is also offered for SSO login; null means no
 * @param loginConnect whether a login through the provider also stores a connection; null means no
 * @param allowedClients client ids of the realm's apps that may read connections' tokens besides the app that made each
 */
public record ProviderConfig(
        String name,
        String source,
        String clientId,
        String clientSecret,
        List<String> scopes,
        String authorizeUrl,
        String tokenUrl,
        String userinfoUrl,
        String revokeUrl,
        Boolean pkce,
        Map<String, String> values,
        Boolean loginEnabled,
        Boolean loginConnect,
        List<String> allowedClients) {

    public ProviderConfig {
        scopes = scopes == null ? null : List.copyOf(scopes);
        values = values == null ? Map.of() : Map.copyOf(values);
        allowedClients = allowedClients == null ? List.of() : List.copyOf(allowedClients);
    }

    /** Without other apps allowed to read tokens. */
    public ProviderConfig(String name, String source, String clientId, String clientSecret, List<String> scopes,
                          String authorizeUrl, String tokenUrl, String userinfoUrl, String revokeUrl, Boolean pkce,
                          Map<String, String> values, Boolean loginEnabled, Boolean loginConnect) {
        this(name, source, clientId, clientSecret, scopes, authorizeUrl, tokenUrl, userinfoUrl, revokeUrl, pkce, values,
                loginEnabled, loginConnect, null);
    }

    /** A builder filled setting by setting from the {@link ProviderSetting} table. */
    public static Builder builder(String name, String source) {
        return new Builder(name, source);
    }

    /**
     * Collects setting values (typed as {@link ProviderSetting#type()}) and template values; {@link ProviderSetting#ENABLED}
     * is kept too, beside the configuration.
     */
    public static final class Builder {
        private final String name;
        private final String source;
        private final Map<ProviderSetting, Object> settings = new EnumMap<>(ProviderSetting.class);
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(String name, String source) {
            this.name = name;
            this.source = source;
        }

        /** Sets a setting; null unsets it. */
        public Builder set(ProviderSetting s, Object value) {
            if (s.checked(value) == null) {
                settings.remove(s);
            } else {
                settings.put(s, value);
            }
            return this;
        }

        public Object get(ProviderSetting s) {
            return settings.get(s);
        }

        public Builder value(String param, String value) {
            values.put(param, value);
            return this;
        }

        /** False only when {@link ProviderSetting#ENABLED} is set to false. */
        public boolean enabled() {
            return !Boolean.FALSE.equals(settings.get(ProviderSetting.ENABLED));
        }

        @SuppressWarnings("unchecked")
        public ProviderConfig build() {
            return new ProviderConfig(name, source, (String) get(ProviderSetting.CLIENT_ID),
                    (String) get(ProviderSetting.CLIENT_SECRET), (List<String>) get(ProviderSetting.SCOPES),
                    (String) get(ProviderSetting.AUTHORIZE_URL), (String) get(ProviderSetting.TOKEN_URL),
                    (String) get(ProviderSetting.USERINFO_URL), (String) get(ProviderSetting.REVOKE_URL),
                    (Boolean) get(ProviderSetting.PKCE), values, (Boolean) get(ProviderSetting.LOGIN_ENABLED),
                    (Boolean) get(ProviderSetting.LOGIN_CONNECT), (List<String>) get(ProviderSetting.ALLOWED_CLIENTS));
        }
    }
}
