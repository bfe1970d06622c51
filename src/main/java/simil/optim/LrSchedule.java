package simil.optim;

/** A learning rate as a pure function of the optimizer step (0-based), so a resumed run continues exactly. */
public interface LrSchedule {
    float at(long step);
}
