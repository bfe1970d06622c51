package simil.data;

import java.util.List;

/**
 * What an archive holds, before decoding: the classes in {@code wnids.txt} order with their names from
 * {@code words.txt}, and every image in a deterministic order (train by class then file name, then val, then test).
 */
public record Catalog(List<String> wnids, List<String> classNames, List<CatalogEntry> entries) {}
