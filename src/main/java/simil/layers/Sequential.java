package simil.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.tensor.Tensor;

/** Layers applied one after another; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public List<Layer> layers() { return layers; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        for (Layer layer : layers) x = layer.forward(x, training);
        return x;
    }

    @Override
    public Tensor backward(Tensor dy) {
        for (int i = layers.size() - 1; i >= 0 && dy != null; i--) dy = layers.get(i).backward(dy);
        return dy;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers) all.addAll(layer.parameters());
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Layer layer : layers) all.putAll(layer.buffers());
        return all;
    }
}
