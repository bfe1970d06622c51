package simil.models.matchnet;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import simil.layers.Buffers;
import simil.layers.Dropout;
import simil.layers.Layer;
import simil.layers.Parameter;
import simil.layers.ParameterSet;
import simil.layers.Sequential;
import simil.models.MetricNetwork;
import simil.models.PairModel;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** MatchNet (Han et al., CVPR 2015): a shared feature tower and a metric network over the concatenated pair. */
public final class MatchNet implements PairModel {
    private final Backend backend;
    private final MatchNetConfig config;
    private final Sequential tower;
    private final MetricNetwork metric;
    private Tensor mirrored, averaged;

    public MatchNet(Backend backend, MatchNetConfig config) {
        this.backend = backend;
        this.config = config;
        this.tower = MatchNetTower.build(backend, config);
        this.metric = new MetricNetwork(backend, "metric", config.bottleneck(), config.metricHidden(),
                config.dropout(), config.symmetricScore(), config.seed() + 100);
        ParameterSet.pack(parameters());
    }

    public MatchNetConfig matchNetConfig() { return config; }
    public Sequential tower() { return tower; }

    @Override public String architecture() { return "matchnet"; }
    @Override public Backend backend() { return backend; }
    @Override
    public Tensor embed(Tensor images, boolean training) {
        if (training || !config.flipAverage()) return tower.forward(images, training);
        int n = images.dim(0);
        averaged = Buffers.reuse(backend, averaged, n, config.bottleneck());
        backend.tensors().copy(tower.forward(images, false), averaged);
        mirrored = Buffers.reuse(backend, mirrored, images.shape());
        backend.tensors().flipLastDim(images, mirrored);
        backend.tensors().axpy(1f, tower.forward(mirrored, false), averaged);
        backend.tensors().scale(averaged, 0.5f);
        return averaged;
    }

    @Override public void embedBackward(Tensor dEmbeddings) { tower.backward(dEmbeddings); }
    @Override public int embeddingSize() { return config.bottleneck(); }
    @Override public MetricNetwork metric() { return metric; }
    @Override public List<Parameter> embeddingParameters() { return tower.parameters(); }
    @Override public Map<String, Tensor> buffers() { return tower.buffers(); }
    @Override
    public void restoreDropoutStep(long step) {
        for (Layer layer : tower.layers()) if (layer instanceof Dropout d) d.setCounter(step);
        metric.restoreDropoutStep(step);
    }

    @Override public JsonObject config() { return config.toJson(); }
}
