package simil.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import simil.io.Checkpoint;
import simil.io.ModelDirectory;
import simil.tensor.Tensor;

/** What {@link CheckpointedEpochs} trains: a pair model, or an encoder with a pre-training head. */
interface Trainable {
    /** Every tensor a checkpoint must restore (parameters and buffers), by name. */
    Map<String, Tensor> stateTensors();

    /** Writes the model directory (weights and config.json) into {@code dir}. */
    void save(Path dir) throws IOException;

    /** Reads back what {@link #save} wrote into {@code dir} (a checkpoint): by default, the weights file into {@link #stateTensors}. */
    default void load(Path dir) {
        Checkpoint.load(dir.resolve(ModelDirectory.WEIGHTS), stateTensors());
    }

    /** Positions every random layer (dropout, stochastic depth) at training step {@code step}, for exact resumes. */
    void restoreRandomStep(long step);
}
