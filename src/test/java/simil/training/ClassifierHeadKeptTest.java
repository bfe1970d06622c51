package simil.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.cli.Architectures;
import simil.cli.SyntheticTinyImageNet;
import simil.data.DataFingerprint;
import simil.data.ImageStore;
import simil.data.Splits;
import simil.data.Subset;
import simil.data.TinyImageNet;
import simil.io.AtomicFiles;
import simil.io.CheckpointException;
import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.models.files.ModelFiles;
import simil.tensor.Backend;

/**
 * A run whose recipe trains the tower as a classifier keeps the classifier's head beside the model
 * ({@value ModelFiles#HEAD}), with an output per trained class (none for held-out classes), through checkpoints and
 * resumes; a run without a classifier phase, or resumed from a checkpoint that has no head, has none, and asking a
 * model without one for its head is one line.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class ClassifierHeadKeptTest {
    @Parameter
    Backend be;

    @TempDir
    Path dir;
    private ImageStore store;
    private Splits splits;
    private DataFingerprint data;
    /** Classifier epoch then metric epochs, tiny. */
    private final Recipe oneMetricEpoch = Recipe.quickRecipe().withBatch(2).withBudgetMinutes(0).withEpochs(1).withMetricEpochs(1);

    @BeforeEach
    void data() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 5, 7);
        store = TinyImageNet.load(zip, Subset.ALL, dir.resolve("cache"), false, ResumeAfterKillTest.QUIET);
        splits = Splits.carve(store, 1, 1, 2, 2);
        data = DataFingerprint.of(zip, null, null, 1, 2, 1, 2);
    }

    private void train(Recipe recipe, Path run, boolean resume) throws Exception {
        new TrainingRun(Architectures.build(be, "matchnet", recipe), recipe, data, store, splits, run,
                ResumeAfterKillTest.QUIET).run(resume);
    }

    /** The recorded recipe made one metric epoch longer, as if the run had been killed after its first metric epoch. */
    private void extend(Path run) throws Exception {
        AtomicFiles.writeString(run.resolve("recipe.json"), oneMetricEpoch.withMetricEpochs(2).toJson());
    }

    @Test
    void theHeadHasAnOutputPerTrainedClassAndSurvivesAResumePastTheClassifierPhase() throws Exception {
        Path run = dir.resolve("run");
        train(oneMetricEpoch, run, false);
        PairModel model = ModelFiles.load(be, run);
        ClassifierHead head = ModelFiles.loadHead(model, run, "the test");
        assertEquals(3, head.classes(), "5 classes, 2 held out");
        assertEquals(model.embeddingSize(), head.embeddingSize());
        assertTrue(Files.exists(run.resolve("checkpoint").resolve(ModelFiles.HEAD)), "checkpointed with the model");
        byte[] trained = Files.readAllBytes(run.resolve(ModelFiles.HEAD));

        extend(run);
        train(oneMetricEpoch.withMetricEpochs(2), run, true);
        assertEquals(2, ResumeAfterKillTest.epochsDone(run), "the resume trained the second metric epoch");
        assertArrayEquals(trained, Files.readAllBytes(run.resolve(ModelFiles.HEAD)), "the head the classifier phase trained is kept");
    }

    @Test
    void aCheckpointWithoutAHeadResumesToAModelWithoutOne() throws Exception {
        Path run = dir.resolve("run");
        train(oneMetricEpoch, run, false);
        // A checkpoint made before heads were kept, past its classifier phase: the head is lost, not made up.
        Files.delete(run.resolve("checkpoint").resolve(ModelFiles.HEAD));
        extend(run);
        train(oneMetricEpoch.withMetricEpochs(2), run, true);
        assertFalse(Files.exists(run.resolve(ModelFiles.HEAD)));
        assertFalse(Files.exists(run.resolve("checkpoint").resolve(ModelFiles.HEAD)));
        PairModel model = ModelFiles.load(be, run);
        String message = assertThrows(CheckpointException.class, () -> ModelFiles.loadHead(model, run, "--scorer posterior scores pairs by"))
                .getMessage();
        assertTrue(message.startsWith(run + " has no classifier head (classifier.safetensors), which --scorer posterior scores pairs by"), message);
        assertFalse(message.contains("\n"));
    }

    @Test
    void aRecipeWithoutAClassifierPhaseSavesNoHead() throws Exception {
        Path run = dir.resolve("seed");
        train(Recipe.seedRecipe().withBatch(2).withEpochs(1), run, false);
        assertTrue(Files.exists(run.resolve("model.safetensors")));
        assertFalse(Files.exists(run.resolve(ModelFiles.HEAD)));
    }
}
