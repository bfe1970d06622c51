package simil.tokenizer;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.layers.Buffers;
import simil.layers.Gelu;
import simil.layers.Linear;
import simil.layers.Parameter;
import simil.layers.ParameterSet;
import simil.layers.Sequential;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * The paper's tokenizer is a discrete VAE; ours is its vector-quantized form (VQ-VAE, straight-through
 * estimator, not Gumbel-softmax) at the patch level: an MLP encoder maps a normalized 8×8×3 patch to a code
 * vector, the quantizer snaps it to the nearest of {@code vocabulary} codebook rows (the token), and an MLP
 * decoder reconstructs the patch from that row. Loss: mean squared reconstruction error + codebook + β·commitment.
 */
public final class VqVae implements Tokenizer {
    /** Shapes: patch values in, hidden width of both MLPs, code vector size, vocabulary, commitment weight. */
    public record Config(int in, int hidden, int codeDim, int vocabulary, float beta) {
        public static Config standard(int vocabulary) {
            return new Config(PatchGrid.DIM, 512, 32, vocabulary, 0.25f);
        }
    }

    private final Backend backend;
    private final Config config;
    private final Sequential encoder, decoder;
    private final VectorQuantizer quantizer;
    /** The last forward's total loss and its reconstruction part, on the device. */
    private final Tensor losses;
    private Tensor x, xHat, residual, dxHat;

    public VqVae(Backend backend, Config config) {
        this.backend = backend;
        this.config = config;
        this.encoder = new Sequential(List.of(
                new Linear(backend, "encoder.fc1", config.in(), config.hidden(), true).inputNeedsGrad(false),
                new Gelu(backend),
                new Linear(backend, "encoder.fc2", config.hidden(), config.codeDim(), true)));
        this.quantizer = new VectorQuantizer(backend, "quantizer", config.vocabulary(), config.codeDim(), config.beta());
        this.decoder = new Sequential(List.of(
                new Linear(backend, "decoder.fc1", config.codeDim(), config.hidden(), true),
                new Gelu(backend),
                new Linear(backend, "decoder.fc2", config.hidden(), config.in(), true)));
        ParameterSet.pack(parameters());
        this.losses = backend.zeros(2);
    }

    /** PyTorch's default Linear initialization; the codebook comes from {@link #initCodebook}. */
    public VqVae init(long seed) {
        long s = seed;
        for (var layer : encoder.layers()) if (layer instanceof Linear l) l.init(s += 2);
        for (var layer : decoder.layers()) if (layer instanceof Linear l) l.init(s += 2);
        return this;
    }

    /** Codebook rows := encoder outputs of the given patches [vocabulary, in], so that every code starts in use. */
    public void initCodebook(Tensor patches) {
        backend.tensors().copy(encoder.forward(patches, false), quantizer.codebook().value());
    }

    public Config settings() { return config; }
    public Sequential encoder() { return encoder; }
    public Sequential decoder() { return decoder; }
    public VectorQuantizer quantizer() { return quantizer; }

    /**
     * Training forward over normalized patches [n, in]; returns, on the device, [total loss (reconstruction +
     * quantization), reconstruction loss (mean squared error)], overwritten by the next forward.
     */
    public Tensor forward(Tensor patches) {
        return finish(patches, quantizer.forward(encoder.forward(patches, true)));
    }

    /** The forward with codes held fixed (gradient checks). */
    public Tensor forwardWithCodes(Tensor patches, Tensor codes) {
        return finish(patches, quantizer.forwardWithCodes(encoder.forward(patches, true), codes));
    }

    private Tensor finish(Tensor patches, Tensor zq) {
        x = patches;
        xHat = decoder.forward(zq, true);
        residual = Buffers.reuse(backend, residual, xHat.shape());
        backend.tensors().copy(xHat, residual);
        backend.tensors().axpy(-1f, x, residual);
        Tensor total = losses.slice(0, 1), reconstruction = losses.slice(1, 2);
        backend.tensors().sumOfSquares(residual, reconstruction, false);
        backend.tensors().scale(reconstruction, 1f / residual.size());
        quantizer.loss(total);
        backend.tensors().axpy(1f, reconstruction, total);
        return losses;
    }

    /** The last forward's reconstruction [n, in]. */
    public Tensor reconstruction() { return xHat; }

    /** Gradients of the last forward's total loss into every parameter (straight-through at the quantizer). */
    public void backward() {
        dxHat = Buffers.reuse(backend, dxHat, residual.shape());
        backend.tensors().copy(residual, dxHat);
        backend.tensors().scale(dxHat, 2f / residual.size());
        encoder.backward(quantizer.backward(decoder.backward(dxHat)));
    }

    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.addAll(quantizer.parameters());
        all.addAll(decoder.parameters());
        return all;
    }

    @Override public String kind() { return "vqvae"; }
    @Override public int vocabulary() { return config.vocabulary(); }
    @Override public Backend backend() { return backend; }

    @Override
    public void encode(Tensor patches, Tensor codes) {
        quantizer.encode(encoder.forward(patches, false), codes);
    }

    @Override
    public void decode(Tensor codes, Tensor patches) {
        try (Tensor e = backend.zeros(codes.size(), config.codeDim())) {
            backend.attention().embeddingForward(quantizer.codebook().value(), codes, e);
            backend.tensors().copy(decoder.forward(e, false), patches);
        }
    }

    @Override
    public JsonObject config() {
        JsonObject c = new JsonObject();
        c.addProperty("in", config.in());
        c.addProperty("hidden", config.hidden());
        c.addProperty("code_dim", config.codeDim());
        c.addProperty("beta", config.beta());
        return c;
    }

    static Config configFrom(JsonObject c, int vocabulary) {
        return new Config(c.get("in").getAsInt(), c.get("hidden").getAsInt(), c.get("code_dim").getAsInt(), vocabulary,
                c.get("beta").getAsFloat());
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Parameter p : parameters()) all.put(p.name(), p.value());
        return all;
    }
}
