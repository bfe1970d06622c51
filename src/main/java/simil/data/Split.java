package simil.data;

/** A named set of images: store indices and their class labels, position by position. */
public record Split(String name, int[] indices, int[] labels) {
    public Split {
        if (indices.length != labels.length) throw new IllegalArgumentException("indices and labels differ in length");
    }

    /** The images {@code indices} of {@code store}, labelled from it. */
    public static Split of(String name, ImageStore store, int[] indices) {
        int[] labels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) labels[k] = store.label(indices[k]);
        return new Split(name, indices, labels);
    }

    /** Number of images. */
    public int size() {
        return indices.length;
    }

    /** Number of images of each class, indexed by label (length: largest label + 1). */
    public int[] classCounts() {
        int max = -1;
        for (int label : labels) max = Math.max(max, label);
        int[] counts = new int[max + 1];
        for (int label : labels) {
            if (label < 0) throw new IllegalStateException("split " + name + " holds unlabelled images");
            counts[label]++;
        }
        return counts;
    }
}
