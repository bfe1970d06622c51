package simil.models.matchnet;

import com.google.gson.JsonObject;

/**
 * MatchNet's shape: the reference tower (5 convolutions, 3 poolings, a bottleneck) adapted to 64×64 RGB,
 * and the metric network's width. {@code batchNorm} inserts batch norm after every convolution (our
 * default recipe; the reference has none). {@code flipAverage}: outside training, an image's embedding is
 * the mean of the tower's features of the image and of its mirror image, so that a pair and its mirrored
 * pair score alike (two tower passes per image; the reference has one). {@code symmetricScore}: outside
 * training, a pair's logit is the mean of the metric network's logits in both orders (see MetricNetwork).
 */
public record MatchNetConfig(int bottleneck, int metricHidden, float dropout, boolean batchNorm, boolean flipAverage,
                             boolean symmetricScore, long seed) {
    public MatchNetConfig(int bottleneck, int metricHidden, float dropout, boolean batchNorm, long seed) {
        this(bottleneck, metricHidden, dropout, batchNorm, false, false, seed);
    }

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
        o.addProperty("flip_average", flipAverage);
        o.addProperty("symmetric_score", symmetricScore);
        o.addProperty("seed", seed);
        return o;
    }

    /** Configs written before these options existed have no "flip_average" or "symmetric_score": they go without. */
    public static MatchNetConfig fromJson(JsonObject o) {
        return new MatchNetConfig(o.get("bottleneck").getAsInt(), o.get("metric_hidden").getAsInt(),
                o.get("dropout").getAsFloat(), o.get("batch_norm").getAsBoolean(),
                flag(o, "flip_average"), flag(o, "symmetric_score"), o.get("seed").getAsLong());
    }

    private static boolean flag(JsonObject o, String key) {
        return o.has(key) && o.get(key).getAsBoolean();
    }
}
