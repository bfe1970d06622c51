package simil.training;

import java.util.Map;
import simil.data.BalancedEvalPairs;
import simil.data.BalancedPairSampler;
import simil.data.PairList;
import simil.data.Split;
import simil.layers.BceWithLogitsLoss;
import simil.layers.Buffers;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A phase that trains on balanced same/different pairs with binary cross-entropy and validates on a fixed
 * balanced set of validation pairs. Subclasses say how a batch of pairs becomes logits (through the whole
 * model, or from cached embeddings) and where the logits' gradient goes. A pair list's same/different targets go to the
 * device once (each epoch's when it is drawn, the validation's at the start), not with every batch.
 */
abstract class BalancedPairPhase implements Phase {
    static final int VALIDATION_PAIRS = 2000;

    protected final Backend backend;
    private final String name;
    private final BalancedPairSampler sampler;
    private final PairList validationPairs;
    private final int batch, epochs, pairsPerEpoch;
    private final Adam optimizer;
    private final LrSchedule schedule;
    private final BceWithLogitsLoss loss;
    private final Tensor validationTargets;
    private PairList epochPairs;
    private Tensor epochTargets;

    BalancedPairPhase(Backend backend, String name, Split train, Split validation, int validationPairs, long seed,
                      int batch, int epochs, int pairsPerEpoch, Adam optimizer, LrSchedule schedule) {
        this.backend = backend;
        this.name = name;
        this.sampler = new BalancedPairSampler(train, seed);
        this.validationPairs = BalancedEvalPairs.generate(validation, BalancedEvalPairs.countAtMost(validation, validationPairs), seed + 17);
        this.batch = batch;
        this.epochs = epochs;
        this.pairsPerEpoch = Math.max(batch, pairsPerEpoch / batch * batch);
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.loss = new BceWithLogitsLoss(backend);
        this.validationTargets = targets(this.validationPairs, null);
    }

    /** Logits [b] of pairs [from, from + b) of {@code pairs}; training mode keeps what {@link #backward} needs. */
    protected abstract Tensor logits(PairList pairs, int from, int b, long epoch, boolean training);

    /** Sends the gradient of the last training logits back through whatever produced them. */
    protected abstract void backward(Tensor dLogits);

    @Override public String name() { return name; }
    @Override public int epochs() { return epochs; }
    @Override public int stepsPerEpoch() { return pairsPerEpoch / batch; }
    @Override public int imagesPerStep() { return 2 * batch; }
    @Override public float lrAt(long step) { return schedule.at(step); }
    @Override public Adam optimizer() { return optimizer; }
    @Override public Backend backend() { return backend; }
    @Override public Map<String, Tensor> extraState() { return Map.of(); }

    @Override
    public void beginEpoch(int epoch) {
        epochPairs = sampler.epoch(epoch, pairsPerEpoch);
        epochTargets = targets(epochPairs, epochTargets);
    }

    @Override
    public void step(int epoch, int stepInEpoch, float lr, Tensor outcome) {
        int from = stepInEpoch * batch;
        Tensor z = logits(epochPairs, from, batch, epoch, true);
        record(z, epochTargets.slice(from, from + batch), outcome);
        backward(loss.backward());
        optimizer.step(lr);
        optimizer.zeroGrad();
        backend.tensors().fill(outcome.slice(2, 3), batch);
    }

    @Override
    public StepResult validate() {
        int n = validationPairs.size();
        try (StepOutcomes batches = new StepOutcomes(backend, (n + batch - 1) / batch)) {
            for (int k = 0; k < batches.size(); k++) {
                int from = k * batch, b = Math.min(batch, n - from);
                record(logits(validationPairs, from, b, 0, false), validationTargets.slice(from, from + b), batches.row(k));
            }
            batches.readUpTo(batches.size());
            double lossSum = 0;
            int right = 0;
            for (int k = 0; k < batches.size(); k++) {
                lossSum += batches.loss(k) * Math.min(batch, n - k * batch);
                right += batches.correct(k);
            }
            return new StepResult(lossSum / n, right, n);
        }
    }

    /** The batch's mean loss and its right same/different calls (logit > 0 on same pairs) into {@code outcome}. */
    private void record(Tensor logits, Tensor targets, Tensor outcome) {
        backend.tensors().copy(loss.forward(logits, targets), outcome.slice(0, 1));
        backend.losses().countSignMatches(logits, targets, outcome.slice(1, 2));
    }

    /** 1 for each same pair of {@code pairs}, 0 for each different one, on the device (in {@code current} when it fits). */
    private Tensor targets(PairList pairs, Tensor current) {
        float[] labels = new float[pairs.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = pairs.same()[i] ? 1f : 0f;
        Tensor targets = Buffers.reuse(backend, current, labels.length);
        backend.write(targets, labels);
        return targets;
    }

}
