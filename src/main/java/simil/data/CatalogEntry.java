package simil.data;

/** One image of the archive: its entry path, its class index ({@code -1} for unlabelled test images) and its folder. */
public record CatalogEntry(String path, int label, Origin origin) {}
