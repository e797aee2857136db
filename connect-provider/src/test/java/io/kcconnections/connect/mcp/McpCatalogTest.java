package io.kcconnections.connect.mcp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled MCP catalog passes its own rules, and the rules refuse what they should. */
class McpCatalogTest {

    private static McpCatalog.Entry entry(String id, String url) {
        return new McpCatalog.Entry(id, "Name", url, "oauth", "https://example.com/docs", "tools");
    }

    @Test
    void theBundledCatalogLoadsAndIsValid() {
        McpCatalog c = McpCatalog.load(null, false);
        assertTrue(c.all().size() >= 10, "the popular hosted servers: " + c.all().keySet());
        assertTrue(c.find("github").isPresent());
        assertEquals("https://api.githubcopilot.com/mcp/", c.find("github").get().url());
        assertTrue(McpCatalog.validate(List.copyOf(c.all().values()), false).isEmpty());
        c.all().values().forEach(e -> assertTrue(e.url().startsWith("https://"), e.id()));
    }

    @Test
    void searchMatchesIdNameOrCategory() {
        McpCatalog c = McpCatalog.load(null, false);
        assertEquals(List.of("linear"), c.search("LINEAR").stream().map(McpCatalog.Entry::id).toList());
        assertTrue(c.search("payments").stream().allMatch(e -> e.category().equals("payments")));
        assertFalse(c.search("payments").isEmpty());
        assertEquals(c.all().size(), c.search(" ").size());
        assertTrue(c.search("no-such-thing").isEmpty());
    }

    @Test
    void theRulesRefuseBadEntries() {
        assertTrue(McpCatalog.validate(List.of(entry("ok", "https://mcp.example.com/mcp")), false).isEmpty());
        assertFalse(McpCatalog.validate(List.of(), false).isEmpty(), "empty");
        assertFalse(McpCatalog.validate(List.of(entry("a", "https://x.example"), entry("a", "https://y.example")), false).isEmpty(), "duplicate id");
        assertFalse(McpCatalog.validate(List.of(entry("plain", "http://mcp.example.com")), false).isEmpty(), "http");
        assertTrue(McpCatalog.validate(List.of(entry("plain", "http://127.0.0.1:8080/mcp")), true).isEmpty(), "http for labs");
        assertFalse(McpCatalog.validate(List.of(entry("creds", "https://u:p@mcp.example.com")), false).isEmpty(), "credentials");
        assertFalse(McpCatalog.validate(List.of(entry("Bad Id", "https://mcp.example.com")), false).isEmpty(), "id");
        assertFalse(McpCatalog.validate(List.of(entry("rel", "/mcp")), false).isEmpty(), "relative");
        assertFalse(McpCatalog.validate(List.of(new McpCatalog.Entry("x", "", "https://a.example", "oauth",
                "https://a.example", "c")), false).isEmpty(), "name");
        assertFalse(McpCatalog.validate(List.of(new McpCatalog.Entry("x", "X", "https://a.example", "basic",
                "https://a.example", "c")), false).isEmpty(), "auth kind");
        assertFalse(McpCatalog.validate(List.of(new McpCatalog.Entry("x", "X", "https://a.example", "oauth",
                "https://a.example", null)), false).isEmpty(), "category");
    }

    @Test
    void anOperatorFileAddsEntriesAndABadOneIsIgnored(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("extra.json");
        Files.writeString(f, "{\"servers\":[{\"id\":\"internal\",\"name\":\"Internal\",\"url\":\"https://mcp.internal.example/mcp\","
                + "\"auth\":\"oauth\",\"docs\":\"https://wiki.internal.example/mcp\",\"category\":\"internal\"}]}");
        McpCatalog c = McpCatalog.load(f.toString(), false);
        assertTrue(c.find("internal").isPresent());
        assertTrue(c.find("github").isPresent());
        Files.writeString(f, "{\"servers\":[{\"id\":\"internal\",\"url\":\"http://mcp.internal.example/mcp\"}]}");
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertFalse(c.find("internal").isPresent(), "an invalid file is ignored as a whole");
        assertTrue(c.find("github").isPresent());
    }
}
