package io.kcconnections.connect.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;

/**
 * How {@code GET /connect/providers} shows a usable provider to apps: name, display name, category, default scopes,
 * whether login is enabled, the grants it offers, and the per-connection values an app must pass to
 * {@code /connect/authorize}. Nothing about credentials.
 */
final class ProviderViews {

    private ProviderViews() {
    }

    static Map<String, Object> of(ResolvedProvider p) {
        ProviderTemplate t = p.template();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("display_name", t.displayName());
        m.put("category", t.category());
        m.put("default_scopes", p.scopes(null));
        m.put("login_enabled", p.loginEnabled());
        m.put("grant_types", grants(p));
        List<Map<String, Object>> params = new ArrayList<>();
        for (TemplateParam tp : p.connectionParams()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", tp.name());
            pm.put("required", tp.required() && p.openParams().contains(tp.name()));
            pm.put("kind", tp.kind().id());
            pm.put("description", tp.description());
            pm.put("example", tp.example());
            pm.put("default", p.values().get(tp.name()));
            params.add(pm);
        }
        m.put("connection_params", params);
        return m;
    }

    /**
     * How a connection to this provider can be made: authorization_code (/authorize, always), device_code (/device)
     * and client_credentials (/client-connections) where the provider offers them and no per-connection value is
     * needed (those two take none).
     */
    private static List<String> grants(ResolvedProvider p) {
        List<String> grants = new ArrayList<>();
        grants.add("authorization_code");
        if (p.openParams().isEmpty() && p.deviceAuthorizationUrl() != null) {
            grants.add("device_code");
        }
        if (p.openParams().isEmpty() && p.template().clientCredentials()) {
            grants.add("client_credentials");
        }
        return grants;
    }
}
