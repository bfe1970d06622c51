package simil.models.beit;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.io.CheckpointException;
import simil.io.ModelDirectory;
import simil.io.SafeTensors;
import simil.layers.Dropout;
import simil.layers.LayerNorm;
import simil.layers.Linear;
import simil.layers.MeanTokens;
import simil.layers.Parameter;
import simil.layers.ParameterSet;
import simil.layers.Relu;
import simil.models.MetricNetwork;
import simil.models.PairModel;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * BEiT as a pair model: the shared {@link BeitEncoder}, the mean of its patch tokens, a layer norm
 * (pool_norm), a projection to the bottleneck with ReLU and dropout (head), then MatchNet's
 * {@link MetricNetwork} over the pair. As the BEiT anchor (shared/anchors/torch_beit_bench.py) fine-tunes it.
 */
public final class Beit implements PairModel {
    private final Backend backend;
    private final BeitConfig config;
    private final BeitEncoder encoder;
    private final MeanTokens meanTokens;
    private final LayerNorm poolNorm;
    private final Linear head;
    private final Relu relu;
    private final Dropout dropout;
    private final MetricNetwork metric;

    /** A freshly initialized model (seeded by {@code config.seed()}). */
    public Beit(Backend backend, BeitConfig config) {
        this.backend = backend;
        this.config = config;
        this.encoder = new BeitEncoder(backend, config);
        this.meanTokens = new MeanTokens(backend);
        this.poolNorm = new LayerNorm(backend, "pool_norm", config.dim(), config.layerNormEps());
        this.head = new Linear(backend, "head", config.dim(), config.bottleneck(), true).init(config.seed() + 50);
        this.relu = new Relu(backend);
        this.dropout = new Dropout(backend, config.dropout(), config.seed() + 52);
        this.metric = new MetricNetwork(backend, "metric", config.bottleneck(), config.metricHidden(), config.dropout(),
                config.seed() + 100);
        ParameterSet.pack(parameters());
    }

    /**
     * A model whose encoder comes from the model directory {@code dir} (a pre-training checkpoint or an
     * import), built with the encoder shape of {@code dir}'s config.json, and whose head and metric network
     * are fresh, seeded by {@code seed}.
     */
    public static Beit fromEncoderCheckpoint(Backend backend, Path dir, long seed) {
        JsonObject json = ModelDirectory.readConfig(dir);
        BeitConfig config;
        try {
            config = BeitConfig.fromJson(json).withSeed(seed);
        } catch (RuntimeException e) {
            throw new CheckpointException(dir.resolve(ModelDirectory.CONFIG) + " does not describe a BEiT encoder");
        }
        Beit model = new Beit(backend, config);
        model.loadEncoder(dir);
        return model;
    }

    /**
     * The model {@code simil train beit} starts from: a fresh {@code preset} (tiny when null), or, with
     * {@code init}, {@link #fromEncoderCheckpoint} (a {@code preset} given too must describe the same encoder).
     */
    public static Beit forTraining(Backend backend, String preset, Path init, long seed) {
        if (init == null) return new Beit(backend, BeitConfig.preset(preset == null ? "tiny" : preset, seed));
        Beit model = fromEncoderCheckpoint(backend, init, seed);
        if (preset != null && !BeitConfig.preset(preset, seed).sameEncoder(model.config)) {
            throw new IllegalArgumentException("--config " + preset + " does not describe the encoder in " + init
                    + " (leave --config out to use that encoder's own shape)");
        }
        return model;
    }

    public BeitConfig beitConfig() { return config; }
    public BeitEncoder encoder() { return encoder; }
    public LayerNorm poolNorm() { return poolNorm; }
    public Linear head() { return head; }

    /**
     * Loads every encoder tensor (names starting with {@value BeitEncoder#PREFIX}; parameters and a stem's batch-norm
     * statistics) from
     * {@code dir}/model.safetensors, ignoring the rest of the file (a pre-training head, another pair head);
     * fails with one line on a missing tensor or a shape that does not fit this encoder.
     */
    public void loadEncoder(Path dir) {
        Path file = dir.resolve(ModelDirectory.WEIGHTS);
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, Tensor> buffers = encoder.buffers();
        Map<String, Tensor> targets = new LinkedHashMap<>();
        for (Parameter p : encoder.parameters()) targets.put(p.name(), p.value());
        targets.putAll(buffers);
        for (Map.Entry<String, Tensor> target : targets.entrySet()) {
            String name = target.getKey();
            int[] shape = target.getValue().shape();
            SafeTensors.Entry e = contents.entries().get(name);
            if (e == null || e.isInt()) {
                throw new CheckpointException(file + ": no encoder " + (buffers.containsKey(name) ? "statistics" : "tensor")
                        + " '" + name + "' (not a BEiT encoder of this configuration?)");
            }
            if (!Arrays.equals(e.shape(), shape)) {
                throw new CheckpointException(file + ": tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                        + ", this encoder expects " + Arrays.toString(shape));
            }
            backend.write(target.getValue(), e.floats());
        }
    }

    @Override public String architecture() { return BeitConfig.ARCHITECTURE; }
    @Override public Backend backend() { return backend; }
    @Override public int embeddingSize() { return config.bottleneck(); }
    @Override public MetricNetwork metric() { return metric; }
    @Override public Map<String, Tensor> buffers() { return encoder.buffers(); }
    @Override public JsonObject config() { return config.toJson(); }

    @Override
    public Tensor embed(Tensor images, boolean training) {
        Tensor pooled = poolNorm.forward(meanTokens.forward(encoder.forward(images, null, training), training), training);
        return dropout.forward(relu.forward(head.forward(pooled, training), training), training);
    }

    @Override
    public void embedBackward(Tensor dEmbeddings) {
        Tensor d = head.backward(relu.backward(dropout.backward(dEmbeddings)));
        encoder.backward(meanTokens.backward(poolNorm.backward(d)));
    }

    @Override
    public List<Parameter> embeddingParameters() {
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.addAll(poolNorm.parameters());
        all.addAll(head.parameters());
        return all;
    }

    @Override
    public void restoreDropoutStep(long step) {
        encoder.restoreDropPathStep(step);
        dropout.setCounter(step);
        metric.restoreDropoutStep(step);
    }
}
