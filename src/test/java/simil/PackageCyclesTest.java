package simil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages under src/main/java form no cycle, so that they can be read (and replaced) layer by layer:
 * tensor, the backends, layers, models, data, training, scoring, cli. A package uses another when one of
 * its files names one of its classes, by import or by a qualified name in code (comments and strings do not
 * count).
 */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A qualified name: lower-case segments, then a capitalized class name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(simil(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENTS_AND_STRINGS =
            Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);

    @Test
    void mainSourcesHaveNoPackageCycle() {
        Map<String, Map<String, String>> graph = packageGraph(Path.of("src/main/java"));
        assertTrue(graph.size() > 10, "found only " + graph.keySet() + ": run from the project root");
        assertEquals(List.of(), cycles(graph), "package cycles (package -> package used, by the file that uses it)");
    }

    @Test
    void aCycleIsFoundAndNamedWithItsFiles(@TempDir Path root) throws IOException {
        write(root, "simil/a/A.java", "package simil.a;\nimport simil.b.B;\nclass A { B b; }\n");
        write(root, "simil/b/B.java", "package simil.b;\n// simil.c.C in a comment is no use\nclass B { simil.a.A a; String s = \"simil.c.C\"; }\n");
        write(root, "simil/c/C.java", "package simil.c;\nimport simil.a.A;\nclass C {}\n");
        List<String> found = cycles(packageGraph(root));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("simil.a -> simil.b (simil/a/A.java)"), found.get(0));
        assertTrue(found.get(0).contains("simil.b -> simil.a (simil/b/B.java)"), found.get(0));
        assertTrue(!found.get(0).contains("simil.c"), "simil.c uses simil.a but nothing uses simil.c: " + found.get(0));
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    /** package → (package it uses → the first file, relative to {@code root}, that uses it). */
    static Map<String, Map<String, String>> packageGraph(Path root) {
        Map<String, Map<String, String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find()) continue;
                String from = pkg.group(1);
                Map<String, String> uses = graph.computeIfAbsent(from, k -> new TreeMap<>());
                Matcher ref = REFERENCE.matcher(COMMENTS_AND_STRINGS.matcher(source).replaceAll(" "));
                while (ref.find()) {
                    String to = ref.group(1);
                    if (!to.equals(from)) uses.putIfAbsent(to, root.relativize(file).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** Each strongly connected set of two or more packages, as its edges; empty when the graph is acyclic (Tarjan). */
    static List<String> cycles(Map<String, Map<String, String>> graph) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<String> found = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) connect(start, graph, index, low, stack, onStack, found);
        }
        return found;
    }

    private static void connect(String v, Map<String, Map<String, String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<String> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (!low.get(v).equals(index.get(v))) return;
        Set<String> component = new TreeSet<>();
        String w;
        do {
            w = stack.pop();
            onStack.remove(w);
            component.add(w);
        } while (!w.equals(v));
        if (component.size() < 2) return;
        List<String> edges = new ArrayList<>();
        for (String from : component) {
            graph.get(from).forEach((to, file) -> {
                if (component.contains(to)) edges.add(from + " -> " + to + " (" + file + ")");
            });
        }
        found.add(String.join(", ", edges));
    }
}
