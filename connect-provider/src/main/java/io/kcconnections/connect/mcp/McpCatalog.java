package io.kcconnections.connect.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

/**
 * Known remote MCP servers people can install by id: the bundled list ({@value #RESOURCE}) and, when the operator
 * names one ({@code mcp-catalog-file}), a file of the same shape whose entries are added (an entry with a bundled id
 * replaces it). Every entry is checked when loaded: an id of lower-case letters, digits and '-', a name, an https URL
 * without credentials or fragment (http only with {@code allow-private-hosts}), an auth kind, an https docs URL and a
 * category; ids are unique. The bundled list must pass (the server does not start otherwise, and a unit test keeps
 * it so); an operator file that does not pass is ignored as a whole, with its problems in the log. The operator file
 * is read again when it changes.
 */
public final class McpCatalog {

    public static final String RESOURCE = "/connect-mcp-catalog/servers.json";
    public static final Set<String> AUTH_KINDS = Set.of("oauth", "none", "api_key");

    /** One known server. {@code auth}: oauth (connect through the MCP flow), none or api_key (not installable here). */
    public record Entry(String id, String name, String url, String auth, String docs, String category) {

        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("url", url);
            m.put("auth", auth);
            m.put("docs", docs);
            m.put("category", category);
            m.put("installable", "oauth".equals(auth));
            return m;
        }
    }

    private static final Logger LOG = Logger.getLogger(McpCatalog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Map<String, Entry> bundled;
    private final Path extraFile;
    private final boolean allowHttp;
    private volatile Snapshot snapshot;

    private record Snapshot(long modified, Map<String, Entry> entries) {
    }

    private McpCatalog(Map<String, Entry> bundled, Path extraFile, boolean allowHttp) {
        this.bundled = bundled;
        this.extraFile = extraFile;
        this.allowHttp = allowHttp;
        this.snapshot = new Snapshot(Long.MIN_VALUE, bundled);
    }

    /**
     * The bundled catalog plus the operator's file.
     *
     * @throws IllegalStateException when the bundled list is unreadable or breaks a rule
     */
    public static McpCatalog load(String extraFile, boolean allowHttp) {
        List<Entry> entries;
        try (InputStream in = McpCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the MCP catalog " + RESOURCE + " is missing");
            }
            entries = parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("the MCP catalog " + RESOURCE + " is unreadable: " + e.getMessage(), e);
        }
        List<String> problems = validate(entries, false);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the MCP catalog " + RESOURCE + " is invalid: " + String.join("; ", problems));
        }
        return new McpCatalog(index(entries), extraFile == null || extraFile.isBlank() ? null : Path.of(extraFile.trim()),
                allowHttp);
    }

    /** The entries of a catalog document: {@code {"servers": [{id, name, url, auth, docs, category}, …]}}. */
    public static List<Entry> parse(JsonNode doc) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode s : doc.path("servers")) {
            out.add(new Entry(text(s, "id"), text(s, "name"), text(s, "url"), text(s, "auth"), text(s, "docs"),
                    text(s, "category")));
        }
        return out;
    }

    /** What breaks the rules (empty: none). */
    public static List<String> validate(List<Entry> entries, boolean allowHttp) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (entries.isEmpty()) {
            problems.add("no servers");
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String where = "server " + (e.id() == null ? "#" + i : e.id());
            if (e.id() == null || !ID.matcher(e.id()).matches()) {
                problems.add(where + ": id must be 1-63 lower-case letters, digits or '-'");
            } else if (!ids.add(e.id())) {
                problems.add(where + ": duplicate id");
            }
            if (e.name() == null || e.name().isBlank()) {
                problems.add(where + ": name is required");
            }
            if (e.category() == null || e.category().isBlank()) {
                problems.add(where + ": category is required");
            }
            if (e.auth() == null || !AUTH_KINDS.contains(e.auth())) {
                problems.add(where + ": auth must be one of oauth, none, api_key");
            }
            urlProblem(e.url(), allowHttp).ifPresent(p -> problems.add(where + ": url " + p));
            urlProblem(e.docs(), false).ifPresent(p -> problems.add(where + ": docs " + p));
        }
        return problems;
    }

    private static Optional<String> urlProblem(String url, boolean allowHttp) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        try {
            URI u = new URI(url);
            boolean https = "https".equals(u.getScheme()) || allowHttp && "http".equals(u.getScheme());
            if (!https || u.getHost() == null) {
                return Optional.of("must be an absolute https URL");
            }
            if (u.getUserInfo() != null || u.getFragment() != null) {
                return Optional.of("must have no credentials or fragment");
            }
            return Optional.empty();
        } catch (Exception ex) {
            return Optional.of("is not a URL");
        }
    }

    /** Every entry, by id. */
    public Map<String, Entry> all() {
        return current();
    }

    public Optional<Entry> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(current().get(id));
    }

    /** Entries whose id, name or category contains {@code q} (case-insensitive); all when blank. */
    public List<Entry> search(String q) {
        String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
        return current().values().stream().filter(e -> needle.isEmpty() || e.id().contains(needle)
                || e.name().toLowerCase(Locale.ROOT).contains(needle)
                || e.category().toLowerCase(Locale.ROOT).contains(needle)).toList();
    }

    private Map<String, Entry> current() {
        if (extraFile == null) {
            return bundled;
        }
        long modified;
        try {
            modified = Files.exists(extraFile) ? Files.getLastModifiedTime(extraFile).toMillis() : -1;
        } catch (IOException e) {
            modified = -1;
        }
        Snapshot s = snapshot;
        if (s.modified() == modified) {
            return s.entries();
        }
        Map<String, Entry> merged = new LinkedHashMap<>(bundled);
        merged.putAll(readExtra(modified));
        snapshot = new Snapshot(modified, Collections.unmodifiableMap(merged));
        return snapshot.entries();
    }

    private Map<String, Entry> readExtra(long modified) {
        if (modified < 0) {
            LOG.warnf("mcp-catalog-file %s does not exist or is unreadable: only the bundled MCP catalog is offered", extraFile);
            return Map.of();
        }
        try {
            List<Entry> entries = parse(JSON.readTree(extraFile.toFile()));
            List<String> problems = validate(entries, allowHttp);
            if (!problems.isEmpty()) {
                LOG.warnf("mcp-catalog-file %s is ignored: %s", extraFile, String.join("; ", problems));
                return Map.of();
            }
            LOG.infof("mcp-catalog-file %s: %d servers", extraFile, entries.size());
            return index(entries);
        } catch (IOException e) {
            LOG.warnf("mcp-catalog-file %s is ignored: not a JSON catalog (%s)", extraFile, e.getClass().getSimpleName());
            return Map.of();
        }
    }

    private static Map<String, Entry> index(List<Entry> entries) {
        Map<String, Entry> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.id(), e));
        return m;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText().trim();
    }
}
