package simil.data;

/** Which official folder of the archive an image comes from. */
public enum Origin {
    /** {@code train/<wnid>/images/}: labelled. */
    TRAIN,
    /** {@code val/images/}, labelled by {@code val/val_annotations.txt}. */
    VAL,
    /** {@code test/images/}: no labels. */
    TEST
}
