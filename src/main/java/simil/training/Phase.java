package simil.training;

import java.util.Map;
import simil.optim.Adam;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * One stage of a recipe (classifier pre-training, pair training, metric training on cached features).
 * A phase owns its optimizer and any head it trains; the run drives its epochs, validation and
 * checkpoints, so every phase resumes and stops the same way.
 */
interface Phase {
    /** Name in logs, metrics file names and checkpoints. */
    String name();

    int epochs();

    int stepsPerEpoch();

    /** Images that pass through the network per step (for images/s). */
    int imagesPerStep();

    /** Called once before the first step of each epoch (samples that epoch's examples). */
    void beginEpoch(int epoch);

    /** Where the phase computes. */
    Backend backend();

    /**
     * One optimizer step. Its ops write the batch's mean loss, how many predictions were right and how many there
     * were into {@code outcome} (three floats on the device, a row of {@link StepOutcomes}), which the host reads later.
     */
    void step(int epoch, int stepInEpoch, float lr, Tensor outcome);

    /** Loss and accuracy on the phase's fixed validation set (read from the device once). */
    StepResult validate();

    /** Learning rate at a global step of this phase. */
    float lrAt(long step);

    Adam optimizer();

    /** Extra tensors that must survive a resume (a classifier head's weights). */
    Map<String, Tensor> extraState();

    /** A batch's outcome: mean loss, correct predictions, and how many were predicted. */
    record StepResult(double loss, int correct, int count) {
        double accuracy() { return count == 0 ? Double.NaN : (double) correct / count; }
    }
}
