package io.kcconnections.connect.catalog;

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
        Boolean loginConnect) {

    public ProviderConfig {
        scopes = scopes == null ? null : List.copyOf(scopes);
        values = values == null ? Map.of() : Map.copyOf(values);
    }
}
