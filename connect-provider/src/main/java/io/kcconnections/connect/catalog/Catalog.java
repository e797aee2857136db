package io.kcconnections.connect.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kcconnections.connect.spi.template.ProviderTemplate;

/**
 * The built-in provider templates: {@code connect-catalog/<name>.yaml} on the class path, listed in
 * {@code connect-catalog/index.txt}. A template that does not parse or has problems is left out and reported.
 */
public final class Catalog {

    public static final String INDEX = "connect-catalog/index.txt";

    private final Map<String, ProviderTemplate> templates;
    private final List<String> problems;

    private Catalog(Map<String, ProviderTemplate> templates, List<String> problems) {
        this.templates = Collections.unmodifiableMap(templates);
        this.problems = List.copyOf(problems);
    }

    /** Loads the catalog from a class loader's resources. */
    public static Catalog load(ClassLoader cl) {
        Map<String, ProviderTemplate> templates = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : index(cl, problems)) {
            String path = "connect-catalog/" + name + ".yaml";
            try (InputStream in = cl.getResourceAsStream(path)) {
                if (in == null) {
                    problems.add(path + " is listed in " + INDEX + " but missing");
                    continue;
                }
                ProviderTemplate t = ProviderTemplate.parse(in);
                if (!t.name().equals(name)) {
                    problems.add(path + " declares name '" + t.name() + "'");
                    continue;
                }
                List<String> p = t.problems();
                if (!p.isEmpty()) {
                    problems.add(name + ": " + String.join("; ", p));
                    continue;
                }
                templates.put(name, t);
            } catch (IOException | IllegalArgumentException e) {
                problems.add(path + " does not parse: " + firstLine(e.getMessage()));
            }
        }
        return new Catalog(templates, problems);
    }

    /** The names listed in the index, in order. */
    public static List<String> index(ClassLoader cl, List<String> problems) {
        List<String> names = new ArrayList<>();
        try (InputStream in = cl.getResourceAsStream(INDEX)) {
            if (in == null) {
                problems.add(INDEX + " is missing");
                return names;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    names.add(s);
                }
            }
        } catch (IOException e) {
            problems.add(INDEX + " cannot be read: " + e.getMessage());
        }
        return names;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    public Map<String, ProviderTemplate> templates() {
        return templates;
    }

    public List<String> problems() {
        return problems;
    }
}
