package io.kcconnections.deploy;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The extension's admin API, for the admin client's {@code Keycloak#proxy} (it carries the admin's token). */
@Path("/admin/realms/{realm}/connect")
public interface ConnectAdminApi {

    /** Creates (201) or replaces (200) the realm's configuration of a catalog provider. */
    @PUT
    @Path("providers/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response putProvider(@PathParam("realm") String realm, @PathParam("name") String name, Map<String, Object> config);
}
