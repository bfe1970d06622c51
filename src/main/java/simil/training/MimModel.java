package simil.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.io.ModelDirectory;
import simil.layers.Buffers;
import simil.layers.Init;
import simil.layers.Linear;
import simil.layers.Parameter;
import simil.layers.ParameterSet;
import simil.layers.SoftmaxCrossEntropyLoss;
import simil.models.beit.BeitConfig;
import simil.models.beit.BeitEncoder;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * BEiT's masked-image-modeling model: the encoder (masked patches replaced by the mask token, final layer
 * norm) and a linear head from each masked position's output to the visual-token vocabulary, with softmax
 * cross-entropy on masked positions only. Only masked rows reach the head: they are gathered into a buffer
 * of fixed capacity (the most a batch can mask), the unused rows ignored by the loss's int32 row mask, so the
 * head's product costs 40% of a full one and no buffer changes size between steps.
 * Saved as a model directory that {@code simil train beit --init} reads: BeitConfig as config.json, encoder
 * tensors under "encoder.", the head under "mim_head.".
 */
public final class MimModel implements Trainable {
    private final Backend backend;
    private final BeitConfig config;
    private final BeitEncoder encoder;
    private final Linear head;
    private final SoftmaxCrossEntropyLoss loss;
    private final int capacity, tokens;
    /** How many patches the last forward masked, on the device. */
    private final Tensor masked;
    private Tensor ids, rowMask, patchIds, targets, gathered, logits, dTokens;

    /** {@code maxMaskedPerImage}: the most patches the masking marks in one image; {@code batch}: images per step. */
    public MimModel(Backend backend, BeitConfig config, int batch, int maxMaskedPerImage) {
        this.backend = backend;
        this.config = config;
        this.encoder = new BeitEncoder(backend, config);
        this.head = new Linear(backend, "mim_head", config.dim(), config.vocabSize(), true);
        Init.truncatedNormal(head.weight().value(), 0.02f, config.seed() + 900);
        this.loss = new SoftmaxCrossEntropyLoss(backend);
        this.tokens = config.patches() + 1;
        this.capacity = batch * maxMaskedPerImage;
        this.masked = backend.zeros(1);
        ParameterSet.pack(parameters());
    }

    BeitEncoder encoder() { return encoder; }
    BeitConfig config() { return config; }

    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.addAll(head.parameters());
        return all;
    }

    /**
     * Mean cross-entropy over the masked patches of images [B, 3, S, S], as a one-element tensor on the device;
     * {@code mask} int32 [B, N] (1 = masked), {@code patchTokens} int32 [B, N] the visual token of every patch. The
     * masked rows are listed (and counted) and their tokens gathered on the device. Keeps what {@link #backward} needs.
     */
    public Tensor forward(Tensor images, Tensor mask, Tensor patchTokens, boolean training) {
        int b = images.dim(0), n = config.patches();
        mask.requireShape("mask", b, n);
        patchTokens.requireShape("tokens", b, n);
        ids = Buffers.reuseInts(backend, ids, capacity);
        rowMask = Buffers.reuseInts(backend, rowMask, capacity);
        patchIds = Buffers.reuseInts(backend, patchIds, capacity);
        targets = Buffers.reuseInts(backend, targets, capacity);
        // The same list twice: once into the batch's [B, N] tokens, once into the encoder's [B, N + 1] rows after each class token.
        backend.tensors().maskedRows(mask, n, 0, patchIds, rowMask, masked);
        backend.tensors().maskedRows(mask, tokens, 1, ids, rowMask, null);
        backend.tensors().gatherInts(patchTokens.reshape(b * n), patchIds, targets);
        Tensor out = encoder.forward(images, mask, training);
        gathered = Buffers.reuse(backend, gathered, capacity, config.dim());
        backend.attention().embeddingForward(out.reshape(b * tokens, config.dim()), ids, gathered);
        logits = head.forward(gathered, training);
        return loss.forward(logits, targets, rowMask);
    }

    /** Writes into {@code out} [1] the masked patches of the last forward whose most likely token (argmax of the head) is the target. */
    void countCorrect(Tensor out) {
        backend.losses().countArgmaxMatches(logits, targets, rowMask, out);
    }

    /** Writes into {@code out} [1] how many patches the last forward masked. */
    void countMasked(Tensor out) {
        backend.tensors().copy(masked, out);
    }

    /** Gradients of the last forward's loss into every parameter. */
    public void backward(int batch) {
        Tensor dGathered = head.backward(loss.backward());
        dTokens = Buffers.reuse(backend, dTokens, batch, tokens, config.dim());
        backend.tensors().fill(dTokens, 0f);
        backend.attention().embeddingBackward(ids, dGathered, dTokens.reshape(batch * tokens, config.dim()));
        encoder.backward(dTokens);
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Parameter p : parameters()) all.put(p.name(), p.value());
        all.putAll(encoder.buffers());
        return all;
    }

    @Override
    public void save(Path dir) throws IOException {
        ModelDirectory.write(dir, stateTensors(), Map.of("architecture", BeitConfig.ARCHITECTURE, "stage", "mim"), config.toJson());
    }

    @Override
    public void restoreRandomStep(long step) {
        encoder.restoreDropPathStep(step);
    }
}
