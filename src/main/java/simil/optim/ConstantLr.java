package simil.optim;

/** The same learning rate at every step. */
public record ConstantLr(float lr) implements LrSchedule {
    @Override
    public float at(long step) { return lr; }
}
