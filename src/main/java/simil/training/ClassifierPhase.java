package simil.training;

import java.util.LinkedHashMap;
import java.util.Map;
import simil.data.ImageBatcher;
import simil.data.ImageStore;
import simil.data.Split;
import simil.layers.Buffers;
import simil.layers.Linear;
import simil.layers.Parameter;
import simil.layers.SoftmaxCrossEntropyLoss;
import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Trains the embedding as a classifier of single images (a linear head over the embedding, softmax
 * cross-entropy with label smoothing). Classes are what "same" means, so an embedding that separates
 * them is what the metric network needs; one image per example costs half a pair and gives a 200-way
 * signal instead of one bit. The head's outputs are the trained classes in label order (classes held out
 * of training have none); the run keeps the head beside the model, for scoring pairs by class posteriors.
 */
final class ClassifierPhase implements Phase {
    private final PairModel model;
    private final Backend backend;
    private final ImageBatcher trainImages, evalImages;
    private final Split train, validation;
    private final ImageStore store;
    private final Linear head;
    /** Head output of each class label (every label of the train and validation splits has one). */
    private final int[] outputOfLabel;
    private final SoftmaxCrossEntropyLoss loss;
    private final int batch, epochs;
    private final long seed;
    private final Adam optimizer;
    private final LrSchedule schedule;
    private int[] order;
    private Tensor labels;

    ClassifierPhase(PairModel model, ImageBatcher trainImages, ImageBatcher evalImages, Split train, Split validation,
                    Recipe recipe, ClassifierHead head, int[] outputOfLabel, Adam optimizer, LrSchedule schedule) {
        this.model = model;
        this.backend = model.backend();
        this.trainImages = trainImages;
        this.evalImages = evalImages;
        this.store = trainImages.store();
        this.train = train;
        this.validation = validation;
        this.head = head.linear();
        this.outputOfLabel = outputOfLabel.clone();
        this.loss = new SoftmaxCrossEntropyLoss(backend, recipe.labelSmoothing());
        this.batch = recipe.batch();
        this.epochs = recipe.classifierEpochs();
        this.seed = recipe.seed();
        this.optimizer = optimizer;
        this.schedule = schedule;
    }

    @Override public String name() { return "classifier"; }
    @Override public int epochs() { return epochs; }
    @Override public int stepsPerEpoch() { return train.size() / batch; }
    @Override public int imagesPerStep() { return batch; }
    @Override public float lrAt(long step) { return schedule.at(step); }
    @Override public Adam optimizer() { return optimizer; }
    @Override public Backend backend() { return backend; }

    @Override
    public Map<String, Tensor> extraState() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Parameter p : head.parameters()) state.put(p.name(), p.value());
        return state;
    }

    @Override
    public void beginEpoch(int epoch) {
        order = Shuffle.permuted(train.indices(), seed, epoch);
    }

    @Override
    public void step(int epoch, int stepInEpoch, float lr, Tensor outcome) {
        int[] indices = java.util.Arrays.copyOfRange(order, stepInEpoch * batch, (stepInEpoch + 1) * batch);
        record(forward(trainImages, indices, epoch, true), outcome);
        model.embedBackward(head.backward(loss.backward()));
        optimizer.step(lr);
        optimizer.zeroGrad();
        backend.tensors().fill(outcome.slice(2, 3), indices.length);
    }

    @Override
    public StepResult validate() {
        int[] all = validation.indices();
        try (StepOutcomes batches = new StepOutcomes(backend, (all.length + batch - 1) / batch)) {
            for (int k = 0; k < batches.size(); k++) {
                int[] indices = java.util.Arrays.copyOfRange(all, k * batch, Math.min(all.length, (k + 1) * batch));
                record(forward(evalImages, indices, 0, false), batches.row(k));
            }
            batches.readUpTo(batches.size());
            double lossSum = 0;
            int right = 0;
            for (int k = 0; k < batches.size(); k++) {
                lossSum += batches.loss(k) * (Math.min(all.length, (k + 1) * batch) - k * batch);
                right += batches.correct(k);
            }
            return new StepResult(lossSum / all.length, right, all.length);
        }
    }

    /** The batch's mean loss and its right answers (argmax = label) into {@code outcome}, on the device. */
    private void record(Tensor logits, Tensor outcome) {
        backend.tensors().copy(loss.forward(logits, labels), outcome.slice(0, 1));
        backend.losses().countArgmaxMatches(logits, labels, null, outcome.slice(1, 2));
    }

    private Tensor forward(ImageBatcher images, int[] indices, long epoch, boolean training) {
        int[] classes = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            classes[i] = outputOfLabel[store.label(indices[i])];
            if (classes[i] < 0) throw new IllegalStateException("image " + indices[i] + " of a class held out of training reached the classifier");
        }
        labels = Buffers.reuseInts(backend, labels, indices.length);
        backend.writeInts(labels, classes);
        return head.forward(model.embed(images.load(indices, epoch), training), training);
    }

}
