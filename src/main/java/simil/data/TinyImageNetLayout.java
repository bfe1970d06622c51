package simil.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Finds the images of the official TinyImageNet-200 layout inside an archive and labels them. */
public final class TinyImageNetLayout {
    private TinyImageNetLayout() {}

    /** The catalog of {@code archive}, restricted to {@code subset}; a {@link DataException} naming the file at fault otherwise. */
    public static Catalog read(ArchiveReader archive, Subset subset) {
        List<String> files = archive.files();
        String root = findRoot(files, archive);
        Set<String> present = new HashSet<>(files);

        List<String> allWnids = readWnids(archive, root + "wnids.txt");
        if (subset.classes() != Subset.ALL.classes() && subset.classes() > allWnids.size()) {
            throw new DataException("--classes " + subset.classes() + ": the archive has " + allWnids.size() + " classes");
        }
        List<String> wnids = allWnids.subList(0, Math.min(subset.classes(), allWnids.size()));
        Map<String, Integer> labelOf = new HashMap<>();
        for (int c = 0; c < wnids.size(); c++) labelOf.put(wnids.get(c), c);
        Set<String> known = new HashSet<>(allWnids);

        Map<String, List<String>> trainByClass = new HashMap<>();
        List<String> test = new ArrayList<>();
        String trainPrefix = root + "train/";
        for (String file : files) {
            if (!isJpeg(file)) continue;
            if (file.startsWith(trainPrefix)) {
                String[] parts = file.substring(trainPrefix.length()).split("/");
                if (parts.length != 3 || !parts[1].equals("images")) continue;
                if (!known.contains(parts[0])) {
                    throw new DataException("image " + file + " in " + archive.location() + " belongs to class " + parts[0] + ", which is not in wnids.txt");
                }
                trainByClass.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(file);
            } else if (file.startsWith(root + "test/images/")) {
                test.add(file);
            }
        }

        List<CatalogEntry> entries = new ArrayList<>();
        for (int c = 0; c < wnids.size(); c++) {
            List<String> images = trainByClass.getOrDefault(wnids.get(c), new ArrayList<>());
            if (images.isEmpty()) {
                throw new DataException("empty class folder " + trainPrefix + wnids.get(c) + "/images/ in " + archive.location());
            }
            images.sort(null);
            for (String image : images.subList(0, Math.min(subset.perClass(), images.size()))) {
                entries.add(new CatalogEntry(image, c, Origin.TRAIN));
            }
        }
        entries.addAll(readVal(archive, root, present, known, labelOf));
        if (subset.isAll()) {
            test.sort(null);
            for (String image : test) entries.add(new CatalogEntry(image, -1, Origin.TEST));
        }
        return new Catalog(List.copyOf(wnids), readNames(archive, root + "words.txt", present, wnids), List.copyOf(entries));
    }

    /** The folder holding wnids.txt ("tiny-imagenet-200/" in the official zip), as a prefix ending in '/', or "". */
    private static String findRoot(List<String> files, ArchiveReader archive) {
        String best = null;
        for (String file : files) {
            if (file.equals("wnids.txt") || file.endsWith("/wnids.txt")) {
                String root = file.substring(0, file.length() - "wnids.txt".length());
                if (best == null || root.length() < best.length()) best = root;
            }
        }
        if (best == null) throw new DataException("no wnids.txt in " + archive.location() + " (expected tiny-imagenet-200/wnids.txt)");
        return best;
    }

    private static List<String> readWnids(ArchiveReader archive, String path) {
        List<String> wnids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : text(archive, path).split("\n")) {
            String wnid = line.trim();
            if (wnid.isEmpty()) continue;
            if (!seen.add(wnid)) throw new DataException(path + " in " + archive.location() + " lists class " + wnid + " twice");
            wnids.add(wnid);
        }
        if (wnids.isEmpty()) throw new DataException(path + " in " + archive.location() + " lists no classes");
        return wnids;
    }

    /** Human-readable names from words.txt; the wnid itself when words.txt lacks it. */
    private static List<String> readNames(ArchiveReader archive, String path, Set<String> present, List<String> wnids) {
        Map<String, String> names = new HashMap<>();
        if (present.contains(path)) {
            Set<String> wanted = new HashSet<>(wnids);
            for (String line : text(archive, path).split("\n")) {
                int tab = line.indexOf('\t');
                if (tab < 0) continue;
                String wnid = line.substring(0, tab).trim();
                if (wanted.contains(wnid)) names.put(wnid, line.substring(tab + 1).trim());
            }
        }
        return wnids.stream().map(w -> names.getOrDefault(w, w)).toList();
    }

    private static List<CatalogEntry> readVal(ArchiveReader archive, String root, Set<String> present,
                                              Set<String> known, Map<String, Integer> labelOf) {
        String annotations = root + "val/val_annotations.txt";
        String images = root + "val/images/";
        List<CatalogEntry> entries = new ArrayList<>();
        if (!present.contains(annotations)) {
            for (String file : present) {
                if (file.startsWith(images) && isJpeg(file)) {
                    throw new DataException("val images without labels: " + annotations + " is missing in " + archive.location());
                }
            }
            return entries;
        }
        String[] lines = text(archive, annotations).split("\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            if (line.isEmpty()) continue;
            String[] fields = line.split("\t");
            String where = annotations + " line " + (n + 1) + " in " + archive.location();
            if (fields.length < 2) throw new DataException(where + " has no class: '" + line + "'");
            if (!known.contains(fields[1])) throw new DataException(where + " names unknown class " + fields[1] + " (not in wnids.txt)");
            String image = images + fields[0];
            if (!present.contains(image)) throw new DataException(where + " names missing image " + image);
            Integer label = labelOf.get(fields[1]);
            if (label != null) entries.add(new CatalogEntry(image, label, Origin.VAL));
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return entries;
    }

    private static String text(ArchiveReader archive, String path) {
        return new String(archive.read(path), StandardCharsets.UTF_8).replace("\r", "");
    }

    private static boolean isJpeg(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jpeg") || lower.endsWith(".jpg");
    }
}
