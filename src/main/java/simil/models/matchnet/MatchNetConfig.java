package simil.models.matchnet;

import com.google.gson.JsonObject;

/**
 * MatchNet's shape: the reference tower (5 convolutions, 3 poolings, a bottleneck) adapted to 64×64 RGB,
 * and the metric network's width. {@code batchNorm} inserts batch norm after every convolution (our
 * default recipe; the reference has none).
 */
public record MatchNetConfig(int bottleneck, int metricHidden, float dropout, boolean batchNorm, long seed) {
    public static MatchNetConfig reference(long seed) {
        return new MatchNetConfig(256, 1024, 0.3f, false, seed);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("architecture", "matchnet");
        o.addProperty("bottleneck", bottleneck);
        o.addProperty("metric_hidden", metricHidden);
        o.addProperty("dropout", dropout);
        o.addProperty("batch_norm", batchNorm);
        o.addProperty("seed", seed);
        return o;
    }

    public static MatchNetConfig fromJson(JsonObject o) {
        return new MatchNetConfig(o.get("bottleneck").getAsInt(), o.get("metric_hidden").getAsInt(),
                o.get("dropout").getAsFloat(), o.get("batch_norm").getAsBoolean(), o.get("seed").getAsLong());
    }
}
