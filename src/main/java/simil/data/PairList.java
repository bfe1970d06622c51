package simil.data;

/** Image pairs as parallel arrays of store indices, with whether each pair shows the same class. */
public record PairList(int[] first, int[] second, boolean[] same) {
    public PairList {
        if (first.length != second.length || first.length != same.length) throw new IllegalArgumentException("pair arrays differ in length");
    }

    /** Number of pairs. */
    public int size() {
        return first.length;
    }

    /** Number of same-class pairs. */
    public int sameCount() {
        int n = 0;
        for (boolean s : same) if (s) n++;
        return n;
    }
}
