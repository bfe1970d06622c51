package simil.training;

import java.util.Arrays;
import java.util.Map;
import simil.data.ImageStore;
import simil.data.Normalization;
import simil.data.RandomCropFlip;
import simil.data.Split;
import simil.layers.Buffers;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.tensor.Backend;
import simil.tensor.BlockwiseMasking;
import simil.tensor.Rng;
import simil.tensor.StagingBuffer;
import simil.tensor.Tensor;
import simil.tokenizer.Tokenizer;

/**
 * One epoch of masked image modeling: each batch's images are cropped and flipped, tokenized (from [0, 1]
 * pixels), masked blockwise, normalized for the encoder, and the masked patches' tokens predicted. Accuracy
 * is the fraction of masked patches whose most likely token is right. Validation uses fixed masks and no
 * augmentation on at most {@value #VALIDATION_IMAGES} validation images. Only the pixels come from the host each
 * step: the images' indices go to the device once per epoch, and the masks are drawn and listed there.
 */
final class MimPhase implements Phase {
    static final int VALIDATION_IMAGES = 512;
    private static final long VALIDATION_EPOCH = -1;

    private final MimModel model;
    private final Backend backend;
    private final Tokenizer tokenizer;
    private final ImageStore store;
    private final Split train;
    private final int[] validation;
    /** The validation images' indices, and the epoch's training order, on the device: what each image's mask is drawn from. */
    private final Tensor validationIds, orderIds;
    private final RandomCropFlip augmentation;
    private final BlockwiseMasking masking;
    private final long maskSeed;
    private final PretrainSettings settings;
    private final Adam optimizer;
    private final LrSchedule schedule;
    private final int batch, steps, patches;
    private int[] order;
    private final Tensor channelMean, channelInvStd;
    private StagingBuffer staging;
    private Tensor pixels, images, tokens, mask;

    MimPhase(MimModel model, Tokenizer tokenizer, ImageStore store, Split train, Split validation, Normalization normalization,
             PretrainSettings settings, Adam optimizer, LrSchedule schedule) {
        this.model = model;
        this.backend = tokenizer.backend();
        this.tokenizer = tokenizer;
        this.store = store;
        this.train = train;
        this.validation = Arrays.copyOf(validation.indices(), Math.min(VALIDATION_IMAGES, validation.size()));
        this.validationIds = backend.fromIntArray(this.validation, this.validation.length);
        this.orderIds = backend.intZeros(train.size());
        this.channelMean = backend.fromArray(normalization.mean().clone(), 3);
        float[] invStd = new float[3];
        for (int c = 0; c < 3; c++) invStd[c] = 1f / normalization.std()[c];
        this.channelInvStd = backend.fromArray(invStd, 3);
        this.augmentation = settings.augment() ? RandomCropFlip.standard(settings.seed()) : null;
        this.masking = new BlockwiseMasking(model.config().grid(), model.config().grid(), settings.maskRatio());
        this.maskSeed = settings.seed() + 7;
        this.settings = settings;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.batch = settings.batch();
        this.steps = stepsPerEpoch(settings, train.size());
        this.patches = model.config().patches();
    }

    static int stepsPerEpoch(PretrainSettings settings, int trainImages) {
        int images = settings.imagesPerEpoch() > 0 ? Math.min(settings.imagesPerEpoch(), trainImages) : trainImages;
        return Math.max(1, images / settings.batch());
    }

    @Override public String name() { return "mim"; }
    @Override public int epochs() { return settings.epochs(); }
    @Override public int stepsPerEpoch() { return steps; }
    @Override public int imagesPerStep() { return batch; }
    @Override public float lrAt(long step) { return schedule.at(step); }
    @Override public Adam optimizer() { return optimizer; }
    @Override public Backend backend() { return backend; }
    @Override public Map<String, Tensor> extraState() { return Map.of(); }

    @Override
    public void beginEpoch(int epoch) {
        order = Shuffle.permuted(train.indices(), settings.seed(), epoch);
        backend.writeInts(orderIds, order);
    }

    @Override
    public void step(int epoch, int stepInEpoch, float lr, Tensor outcome) {
        int from = stepInEpoch * batch;
        int[] indices = Arrays.copyOfRange(order, from, from + batch);
        record(forward(indices, orderIds.slice(from, from + batch), epoch, augmentation, true), outcome);
        model.backward(indices.length);
        optimizer.step(lr);
        optimizer.zeroGrad();
    }

    @Override
    public StepResult validate() {
        try (StepOutcomes batches = new StepOutcomes(backend, (validation.length + batch - 1) / batch)) {
            for (int k = 0; k < batches.size(); k++) {
                int from = k * batch, to = Math.min(validation.length, from + batch);
                record(forward(Arrays.copyOfRange(validation, from, to), validationIds.slice(from, to), VALIDATION_EPOCH, null, false),
                        batches.row(k));
            }
            batches.readUpTo(batches.size());
            double lossSum = 0;
            int right = 0, count = 0;
            for (int k = 0; k < batches.size(); k++) {
                lossSum += (double) batches.loss(k) * batches.count(k);
                right += batches.correct(k);
                count += batches.count(k);
            }
            return new StepResult(count == 0 ? Double.NaN : lossSum / count, right, count);
        }
    }

    /** The batch's mean loss, its masked patches whose token came out right and its masked patches, into {@code outcome} on the device. */
    private void record(Tensor loss, Tensor outcome) {
        backend.tensors().copy(loss, outcome.slice(0, 1));
        model.countCorrect(outcome.slice(1, 2));
        model.countMasked(outcome.slice(2, 3));
    }

    /**
     * Loads (one copy-in of [0, 1] pixels), tokenizes, normalizes and masks one batch, and runs it; returns the
     * mean loss over its masked patches, on the device. {@code ids}: the same images' indices, on the device.
     */
    private Tensor forward(int[] indices, Tensor ids, long epoch, RandomCropFlip crop, boolean training) {
        int n = indices.length, pixelCount = n * 3 * 64 * 64;
        if (staging == null || staging.capacity() < pixelCount) staging = backend.stagingBuffer(pixelCount);
        if (crop == null) store.toFloats(indices, staging.floats(), Normalization.NONE);
        else store.toFloats(indices, staging.floats(), Normalization.NONE, crop, epoch);
        pixels = Buffers.reuse(backend, pixels, n, 3, 64, 64);
        backend.copyIn(staging, pixels);
        tokens = Buffers.reuseInts(backend, tokens, n, patches);
        tokenizer.tokenize(pixels, tokens);
        images = Buffers.reuse(backend, images, n, 3, 64, 64);
        backend.tensors().normalizeChannels(pixels, channelMean, channelInvStd, images);
        mask = Buffers.reuseInts(backend, mask, n, patches);
        backend.random().blockwiseMask(ids, masking, Rng.derive(maskSeed, epoch), mask);
        return model.forward(images, mask, tokens, training);
    }
}
