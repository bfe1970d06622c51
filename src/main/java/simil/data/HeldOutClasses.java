package simil.data;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Whole classes kept out of training ({@code --holdout-classes N}), to measure similarity on classes never seen:
 * none of their images is trained on, validated on during training or given a classifier output. The N classes are
 * a pure function of the split seed. The trained classes keep their order, so classifier output k is the k-th
 * trained class.
 *
 * @param classCount every class of the store
 * @param unseen     the held-out classes' labels, ascending
 */
public record HeldOutClasses(int classCount, int[] unseen) {
    /** The random stream of the choice; the per-class carving uses the streams of the class labels, 0 and up. */
    private static final long STREAM = -1;

    public HeldOutClasses {
        unseen = unseen.clone();
    }

    /** No class held out. */
    public static HeldOutClasses none(int classCount) {
        return new HeldOutClasses(classCount, new int[0]);
    }

    /**
     * {@code n} of {@code classCount} classes drawn by {@code seed}: 0 for none, else at least 2 (different-class pairs
     * need two), leaving at least 2 to train on.
     */
    public static HeldOutClasses choose(int classCount, int n, long seed) {
        check(n, classCount);
        int[] order = IntStream.range(0, classCount).toArray();
        Seeds.shuffle(order, Seeds.random(seed, STREAM));
        int[] chosen = Arrays.copyOf(order, n);
        Arrays.sort(chosen);
        return new HeldOutClasses(classCount, chosen);
    }

    /** Refuses, naming the option, a count {@link #choose} cannot hold out of {@code classCount} classes. */
    public static void check(int n, int classCount) {
        if (n < 0 || n == 1) throw new IllegalArgumentException("--holdout-classes " + n + ": must be 0 (none) or 2 or more");
        if (n > classCount - 2) {
            throw new IllegalArgumentException("--holdout-classes " + n + ": the data has " + classCount
                    + " classes, and at least 2 must stay to train on");
        }
    }

    @Override
    public int[] unseen() { return unseen.clone(); }

    public int count() { return unseen.length; }

    public boolean isUnseen(int label) {
        return Arrays.binarySearch(unseen, label) >= 0;
    }

    /** How many classes are trained on: the classifier's outputs. */
    public int trainedCount() { return classCount - unseen.length; }

    /** Classifier output of each label (its position among the trained classes), −1 for an unseen class. */
    public int[] classifierIndexOfLabel() {
        int[] index = new int[classCount];
        int k = 0;
        for (int c = 0; c < classCount; c++) index[c] = isUnseen(c) ? -1 : k++;
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldOutClasses h && h.classCount == classCount && Arrays.equals(h.unseen, unseen);
    }

    @Override
    public int hashCode() {
        return 31 * classCount + Arrays.hashCode(unseen);
    }

    @Override
    public String toString() {
        return unseen.length + " of " + classCount + " classes held out " + Arrays.toString(unseen);
    }
}
