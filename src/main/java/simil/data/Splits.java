package simil.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The splits used by training and evaluation: {@code train}, {@code validation} (model selection) and
 * {@code holdout} (final evaluation), carved from the training images per class as a pure function of the seed;
 * with {@link HeldOutClasses} chosen, {@code unseen}: the holdout images of the classes never trained on, which
 * are in no other split (their other images are in none at all). Without, {@code unseen} is empty.
 */
public record Splits(Split train, Split validation, Split holdout, Split unseen, HeldOutClasses heldOutClasses, long seed,
                     String holdoutSource) {
    /** Holdout images per class carved from train when the archive has no val/ (the size of the official val split). */
    public static final int DEFAULT_HOLDOUT_PER_CLASS = 50;
    /** The holdout's source when it is the archive's own val/. */
    public static final String OFFICIAL_VAL = "official val/";
    /** Validation images per class carved from train for model selection. */
    public static final int DEFAULT_VALIDATION_PER_CLASS = 10;
    /** The name of the split of the held-out classes' holdout images. */
    public static final String UNSEEN = "unseen";

    /** The split names commands take; "val", the official split's name, also names the holdout. */
    public static final List<String> NAMES = List.of("holdout", "validation", "train", UNSEEN);

    /** The split called {@code name} (one of {@link #NAMES}, or "val"). */
    public Split named(String name) {
        return switch (name) {
            case "holdout", "val" -> holdout;
            case "validation" -> validation;
            case "train" -> train;
            case UNSEEN -> unseen;
            default -> throw new IllegalArgumentException("unknown split '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * Where {@code split}'s images come from, for titles and reports: "official val/" (the archive's own val/, as the
     * holdout), "50 per class carved from train/" (a carved holdout or the validation split), "the rest of train/".
     */
    public String sourceOf(Split split) {
        if (split == holdout) return holdoutSource;
        if (split == train) return "the rest of train/";
        if (split == validation) {
            // Classes held out of training have no validation images.
            long classes = Arrays.stream(validation.classCounts()).filter(n -> n > 0).count();
            return (classes == 0 ? 0 : validation.size() / classes) + " per class carved from train/";
        }
        if (split == unseen) return holdoutSource + ", of the " + heldOutClasses.count() + " classes held out of training";
        throw new IllegalArgumentException("split " + split.name() + " is not one of these splits");
    }

    /**
     * Carves {@code store}'s training images. {@code holdoutPerClass < 0} means: the official val/ images when the
     * archive has them, else {@link #DEFAULT_HOLDOUT_PER_CLASS} per class carved from train.
     */
    public static Splits carve(ImageStore store, long seed, int holdoutPerClass, int validationPerClass) {
        return carve(store, seed, holdoutPerClass, validationPerClass, 0);
    }

    /**
     * As above, with {@code heldOutClasses} whole classes ({@link HeldOutClasses#choose}, by {@code seed}) kept out of
     * train and validation, their holdout images in {@code unseen}. The other classes are carved exactly as with none.
     */
    public static Splits carve(ImageStore store, long seed, int holdoutPerClass, int validationPerClass, int heldOutClasses) {
        HeldOutClasses held = HeldOutClasses.choose(store.classCount(), heldOutClasses, seed);
        if (validationPerClass < 0) throw new IllegalArgumentException("validation images per class must be >= 0: " + validationPerClass);
        int[] officialVal = store.indicesOf(Origin.VAL);
        boolean useOfficial = holdoutPerClass < 0 && officialVal.length > 0;
        int carved = useOfficial ? 0 : holdoutPerClass < 0 ? DEFAULT_HOLDOUT_PER_CLASS : holdoutPerClass;

        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < store.classCount(); c++) byClass.add(new ArrayList<>());
        for (int i : store.indicesOf(Origin.TRAIN)) byClass.get(store.label(i)).add(i);

        int[] train = new int[store.indicesOf(Origin.TRAIN).length];
        int[] validation = new int[store.classCount() * validationPerClass];
        int[] holdout = new int[store.classCount() * carved];
        int[] unseen = new int[store.classCount() * carved];
        int t = 0, v = 0, h = 0, u = 0;
        for (int c = 0; c < byClass.size(); c++) {
            int[] images = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            if (images.length <= carved + validationPerClass) {
                throw new DataException("class " + store.wnid(c) + " has " + images.length + " training images, too few to keep "
                        + carved + " for holdout and " + validationPerClass + " for validation and still train");
            }
            Seeds.shuffle(images, Seeds.random(seed, c));
            if (held.isUnseen(c)) {
                for (int k = 0; k < carved; k++) unseen[u++] = images[k];
                continue;
            }
            for (int k = 0; k < images.length; k++) {
                if (k < carved) holdout[h++] = images[k];
                else if (k < carved + validationPerClass) validation[v++] = images[k];
                else train[t++] = images[k];
            }
        }
        if (useOfficial) {
            holdout = Arrays.stream(officialVal).filter(i -> !held.isUnseen(store.label(i))).toArray();
            unseen = Arrays.stream(officialVal).filter(i -> held.isUnseen(store.label(i))).toArray();
        } else {
            holdout = Arrays.copyOf(holdout, h);
            unseen = Arrays.copyOf(unseen, u);
        }
        train = Arrays.copyOf(train, t);
        validation = Arrays.copyOf(validation, v);
        Arrays.sort(train);
        Arrays.sort(validation);
        Arrays.sort(holdout);
        Arrays.sort(unseen);
        String source = useOfficial ? OFFICIAL_VAL : carved + " per class carved from train/";
        return new Splits(Split.of("train", store, train), Split.of("validation", store, validation),
                Split.of("holdout", store, holdout), Split.of(UNSEEN, store, unseen), held, seed, source);
    }
}
