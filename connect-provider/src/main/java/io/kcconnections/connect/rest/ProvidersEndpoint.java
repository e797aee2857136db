package io.kcconnections.connect.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;
import org.keycloak.models.KeycloakSession;

/**
 * {@code GET /connect/providers}: what an app can offer its users in this realm. Only usable providers, and nothing
 * about credentials: name, display name, category, default scopes, whether login is enabled, and the per-connection
 * values the app must pass to {@code /connect/authorize}.
 */
final class ProvidersEndpoint extends EndpointSupport {

    ProvidersEndpoint(KeycloakSession session) {
        super(session);
    }

    Response handle() {
        try {
            CallerAuth.authenticate(session);
            List<Map<String, Object>> providers = new ArrayList<>();
            for (ResolvedProvider p : connect.registry().all(session, realm).values()) {
                ProviderTemplate t = p.template();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.name());
                m.put("display_name", t.displayName());
                m.put("category", t.category());
                m.put("default_scopes", p.scopes(null));
                m.put("login_enabled", p.loginEnabled());
                // How a connection to this provider can be made: authorization_code (/authorize, always),
                // device_code (/device) and client_credentials (/client-connections) where the provider offers them
                // and no per-connection value is needed (those two take none).
                List<String> grants = new ArrayList<>();
                grants.add("authorization_code");
                if (p.openParams().isEmpty() && p.deviceAuthorizationUrl() != null) {
                    grants.add("device_code");
                }
                if (p.openParams().isEmpty() && t.clientCredentials()) {
                    grants.add("client_credentials");
                }
                m.put("grant_types", grants);
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
                providers.add(m);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("providers", providers);
            return json(200, body);
        } catch (ApiError e) {
            return e.toResponse();
        }
    }
}
