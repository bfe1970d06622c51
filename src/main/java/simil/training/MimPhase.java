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
import simil.tensor.Tensor;
import simil.tokenizer.Tokenizer;

/**
 * One epoch of masked image modeling: each batch's images are cropped and flipped, tokenized (from [0, 1]
 * pixels), masked blockwise, normalized for the encoder, and the masked patches' tokens predicted. Accuracy
 * is the fraction of masked patches whose most likely token is right. Validation uses fixed masks and no
 * augmentation on at most {@value #VALIDATION_IMAGES} validation images.
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
    private final Normalization normalization;
    private final RandomCropFlip augmentation;
    private final BlockwiseMasking masking;
    private final PretrainSettings settings;
    private final Adam optimizer;
    private final LrSchedule schedule;
    private final int batch, steps, patches;
    private int[] order;
    private float[] staging = new float[0];
    private int[] maskValues = new int[0];
    private Tensor pixels, images, tokens, mask;

    MimPhase(MimModel model, Tokenizer tokenizer, ImageStore store, Split train, Split validation, Normalization normalization,
             PretrainSettings settings, Adam optimizer, LrSchedule schedule) {
        this.model = model;
        this.backend = tokenizer.backend();
        this.tokenizer = tokenizer;
        this.store = store;
        this.train = train;
        this.validation = Arrays.copyOf(validation.indices(), Math.min(VALIDATION_IMAGES, validation.size()));
        this.normalization = normalization;
        this.augmentation = settings.augment() ? RandomCropFlip.standard(settings.seed()) : null;
        this.masking = new BlockwiseMasking(model.config().grid(), model.config().grid(), settings.maskRatio(), settings.seed() + 7);
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
    @Override public Map<String, Tensor> extraState() { return Map.of(); }

    @Override
    public void beginEpoch(int epoch) {
        order = Shuffle.permuted(train.indices(), settings.seed(), epoch);
    }

    @Override
    public StepResult step(int epoch, int stepInEpoch, float lr) {
        int[] indices = Arrays.copyOfRange(order, stepInEpoch * batch, (stepInEpoch + 1) * batch);
        float value = forward(indices, epoch, augmentation, true);
        int right = model.correct();
        model.backward(indices.length);
        optimizer.step(lr);
        optimizer.zeroGrad();
        return new StepResult(value, right, model.maskedCount());
    }

    @Override
    public StepResult validate() {
        double lossSum = 0;
        int right = 0, masked = 0;
        for (int from = 0; from < validation.length; from += batch) {
            int[] indices = Arrays.copyOfRange(validation, from, Math.min(validation.length, from + batch));
            float value = forward(indices, VALIDATION_EPOCH, null, false);
            int count = model.maskedCount();
            lossSum += (double) value * count;
            right += model.correct();
            masked += count;
        }
        return new StepResult(masked == 0 ? Double.NaN : lossSum / masked, right, masked);
    }

    /** Loads, tokenizes, masks and runs one batch; returns the mean loss over its masked patches. */
    private float forward(int[] indices, long epoch, RandomCropFlip crop, boolean training) {
        int n = indices.length, pixelCount = n * 3 * 64 * 64;
        if (staging.length != pixelCount) staging = new float[pixelCount];
        if (crop == null) store.toFloats(indices, staging, Normalization.NONE);
        else store.toFloats(indices, staging, Normalization.NONE, crop, epoch);
        pixels = Buffers.reuse(backend, pixels, n, 3, 64, 64);
        backend.write(pixels, staging);
        tokens = Buffers.reuseInts(backend, tokens, n, patches);
        tokenizer.tokenize(pixels, tokens);
        normalize(staging, n);
        images = Buffers.reuse(backend, images, n, 3, 64, 64);
        backend.write(images, staging);
        if (maskValues.length != n * patches) maskValues = new int[n * patches];
        for (int i = 0; i < n; i++) masking.mask(indices[i], epoch, maskValues, i * patches);
        mask = Buffers.reuseInts(backend, mask, n, patches);
        backend.writeInts(mask, maskValues);
        return model.forward(images, mask, maskValues, backend.toIntArray(tokens), training);
    }

    /** The encoder's per-channel normalization of [0, 1] pixels, in place. */
    private void normalize(float[] x, int n) {
        int plane = 64 * 64;
        for (int i = 0; i < n; i++) for (int c = 0; c < 3; c++) {
            float mean = normalization.mean()[c], inv = 1f / normalization.std()[c];
            for (int p = (i * 3 + c) * plane; p < (i * 3 + c + 1) * plane; p++) x[p] = (x[p] - mean) * inv;
        }
    }
}
