package io.kcconnections.connect.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.catalog.LoginSupport;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code GET /admin/realms/{realm}/connect/catalog}: every provider the server knows (built-in catalog, contributed by
 * extensions, custom ones from the environment), as templates: what an admin needs to pick one and fill in its form.
 * {@code ?q=} matches name or display name, {@code ?category=} the category (both case-insensitive). Needs
 * {@code view-realm}; no credentials are part of a template.
 */
public class AdminCatalogResource {

    private final KeycloakSession session;
    private final AdminPermissionEvaluator auth;

    AdminCatalogResource(KeycloakSession session, AdminPermissionEvaluator auth) {
        this.session = session;
        this.auth = auth;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("q") String q, @QueryParam("category") String category) {
        auth.realm().requireViewRealm();
        String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProviderTemplate t : session.getProvider(ConnectService.class).registry().templates().values()) {
            boolean named = t.name().contains(needle) || lower(t.displayName()).contains(needle);
            boolean inCategory = category == null || category.isBlank() || lower(t.category()).equals(lower(category));
            if (named && inCategory) {
                out.add(view(t));
            }
        }
        return Responses.json(200, Map.of("providers", out));
    }

    /** One template as the console shows it. */
    static Map<String, Object> view(ProviderTemplate t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("displayName", t.displayName());
        m.put("category", t.category());
        m.put("docs", t.docs());
        m.put("sources", sources(t));
        m.put("defaultScopes", t.defaultScopes());
        m.put("pkce", t.pkce() == null ? null : t.pkce().name().toLowerCase(Locale.ROOT));
        m.put("loginCapable", LoginSupport.capable(t));
        m.put("loginKind", LoginSupport.kind(t).name().toLowerCase(Locale.ROOT));
        m.put("loginRefusal", LoginSupport.refusal(t));
        m.put("deviceFlow", t.deviceAuthorizationUrl() != null);
        m.put("clientCredentials", t.clientCredentials());
        m.put("revocable", t.revoke() != null);
        List<Map<String, Object>> params = new ArrayList<>();
        for (TemplateParam p : t.params()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("description", p.description());
            pm.put("required", p.required());
            pm.put("default", p.defaultValue());
            pm.put("example", p.example());
            pm.put("perConnection", p.perConnection());
            params.add(pm);
        }
        m.put("params", params);
        return m;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** Where the template's facts come from, or null for a provider described without sources (CONNECT_PROVIDERS). */
    private static Map<String, Object> sources(ProviderTemplate t) {
        if (t.sources() == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checked", t.sources().checked());
        m.put("endpoints", t.sources().endpoints());
        m.put("tokens", t.sources().tokens());
        m.put("scopes", t.sources().scopes());
        m.put("quirks", t.sources().quirks());
        return m;
    }
}
