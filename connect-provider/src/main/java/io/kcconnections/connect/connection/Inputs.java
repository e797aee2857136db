package io.kcconnections.connect.connection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.util.JsonSerialization;

/** What callers send, checked before anything is looked up or stored; and values echoed back, made safe. */
public final class Inputs {

    public static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    public static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}");
    private static final int MAX_SCOPES = 50;

    private Inputs() {
    }

    /** Connection ids of connections made at login ({@code login-<provider>-<user id>}): never an app's to choose. */
    public static final String LOGIN_PREFIX = "login-";

    /** The connection id an app asked for, or a new UUID when it gave none; 400 when it is malformed. */
    public static String newConnectionId(String given) throws ConnectError {
        String cid = given == null || given.isBlank() ? UUID.randomUUID().toString() : given.trim();
        if (!CONNECTION_ID.matcher(cid).matches()) {
            throw ConnectError.badRequest("invalid_request",
                    "connection_id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return cid;
    }

    /** The id of the connection a login through {@code provider} stores for a person. */
    public static String loginConnectionId(String provider, String userId) {
        return LOGIN_PREFIX + provider + "-" + userId;
    }

    /**
     * 400 for a connection id of the form kept for connections made at login, unless it is the person's own for this
     * provider (a reconnect): nobody can claim another person's login connection id first.
     *
     * @param userId the person the connection is for; null for a client's own connection
     */
    static void requireNotAnotherLoginId(String cid, String provider, String userId) throws ConnectError {
        if (cid.startsWith(LOGIN_PREFIX) && (userId == null || !cid.equals(loginConnectionId(provider, userId)))) {
            throw ConnectError.badRequest("invalid_request", "connection ids starting with 'login-' are kept for "
                    + "connections made at login");
        }
    }

    /**
     * Scopes separated by spaces or commas, de-duplicated; 400 for a character OAuth does not allow (control characters
     * included: a line break is no separator here) or too many.
     */
    public static List<String> scopes(String scopes) throws ConnectError {
        List<String> out = new ArrayList<>();
        if (scopes == null || scopes.isBlank()) {
            return out;
        }
        for (String s : scopes.trim().split("[, ]+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw ConnectError.badRequest("invalid_scope", "scopes contain a character OAuth does not allow");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        if (out.size() > MAX_SCOPES) {
            throw ConnectError.badRequest("invalid_scope", "at most " + MAX_SCOPES + " scopes");
        }
        return out;
    }

    /**
     * Whether a user id a caller named can be one at all (printable, at most 255 characters): anything else is no
     * user, and is never handed to the database (PostgreSQL refuses a NUL in text with an error, not a miss).
     */
    public static boolean plausibleUserId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 255 && id.chars().allMatch(c -> c >= 0x21 && c != 0x7F);
    }

    /** A parameter given at most once; null when absent. */
    public static String single(MultivaluedMap<String, String> params, String name) throws ConnectError {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ConnectError.badRequest("invalid_request", name + " is given more than once");
        }
        return v.get(0);
    }

    /** A value echoed into a description: short, printable, no markup. */
    public static String shown(String v) {
        if (v == null) {
            return "";
        }
        String s = v.replaceAll("[^A-Za-z0-9._:/@+-]", "_");
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** A problem text echoed to the caller: printable ASCII only, bounded. */
    public static String safe(String s) {
        String t = s.replaceAll("[^\\x20-\\x7E…]", "_");
        return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }

    /** Text a provider sent, cut to the column it is stored in. */
    static String truncate(String s) {
        return s == null || s.length() <= 255 ? s : s.substring(0, 255);
    }

    /** An admin's or app's JSON body as an object; 400 {@code invalid_request} when it is empty, not JSON or not an object. */
    public static JsonNode jsonObject(String body) throws ConnectError {
        JsonNode n;
        try {
            n = body == null || body.isBlank() ? null : JsonSerialization.mapper.readTree(body);
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            throw ConnectError.badRequest("invalid_request", "the body must be a JSON object");
        }
        return n;
    }
}
