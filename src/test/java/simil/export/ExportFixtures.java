package simil.export;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import simil.data.ImageDecoding;
import simil.data.ImageStore;
import simil.data.JpegDecoder;
import simil.data.Normalization;
import simil.io.SafeTensors;
import simil.models.PairModel;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;

/**
 * Small models of every exported kind, images, and what the engine computes on them: the reference the
 * ONNX and PyTorch parity tests hold their outputs to. Every tensor a fresh model holds at one value (batch-norm
 * gains and statistics, layer-norm parameters, BEiT's gains, biases and relative position table) is spread
 * out first, so that a wrongly mapped one changes the outputs, and the metric network is made steeper, so that
 * pairs score apart by much more than the tolerance.
 */
final class ExportFixtures {
    /** {@code -Dsimil.parity.model=DIR} adds a trained model directory (runs/quick, say) to the cases, as it is. */
    static final String MODEL_PROPERTY = "simil.parity.model";
    static final int IMAGES = 5;
    /** Ordered pairs of image indices, both orders of one pair among them. */
    static final int[][] PAIRS = {{0, 1}, {1, 0}, {2, 3}, {4, 0}, {3, 3}, {1, 4}};

    /**
     * How much larger than at initialization the fixtures' matrices are: a fresh metric network scores every
     * pair within 1e-4 of the others, and a fresh BEiT block (weights of std 0.02) barely depends on where its
     * attention goes, so no comparison within 1e-4 would notice a wrong relative position bias.
     */
    private static final float METRIC_GAIN = 6f, BLOCK_GAIN = 10f;

    private ExportFixtures() {}

    /** A model and the pixel normalization it was trained with (NONE: no normalization.json). */
    record Case(String name, PairModel model, Normalization normalization) {}

    static List<Case> cases(Backend backend) {
        Normalization measured = new Normalization(new float[] {0.47f, 0.44f, 0.39f}, new float[] {0.28f, 0.27f, 0.28f});
        Normalization beit = new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
        List<Case> cases = new ArrayList<>(List.of(
                new Case("matchnet-default", spread(new MatchNet(backend, new MatchNetConfig(32, 48, 0.3f, true, true, true, 11))), measured),
                new Case("matchnet-reference", spread(new MatchNet(backend, new MatchNetConfig(24, 40, 0.3f, false, false, false, 12))), Normalization.NONE),
                new Case("beit", spread(new Beit(backend, beit(true, 13))), beit),
                new Case("beit-no-final-norm", spread(new Beit(backend, beit(false, 14))), measured)));
        String given = System.getProperty(MODEL_PROPERTY);
        if (given != null) {
            Path dir = Path.of(given);
            cases.add(new Case("given-model", ModelFiles.load(backend, dir), ModelFiles.readNormalization(dir)));
        }
        return cases;
    }

    /** A BEiT small enough for a test: dim 32, 2 blocks of 2 heads, 8×8 patches (an 8×8 grid). */
    private static BeitConfig beit(boolean finalNorm, long seed) {
        return new BeitConfig(64, 8, 32, 2, 2, 4, 0.1f, 0f, 1e-6f, finalNorm, 16, 16, 24, 0.3f, seed, false);
    }

    private static PairModel spread(PairModel model) {
        Backend backend = model.backend();
        Random random = new Random(model.config().toString().hashCode());
        for (Map.Entry<String, Tensor> e : model.stateTensors().entrySet()) {
            float[] values = backend.toArray(e.getValue());
            float gain = gain(e.getKey(), e.getValue().rank());
            if (gain != 1) {
                for (int i = 0; i < values.length; i++) values[i] *= gain;
                backend.write(e.getValue(), values);
                continue;
            }
            boolean constant = true;
            for (float v : values) constant &= v == values[0];
            if (!constant) continue;
            boolean variance = e.getKey().endsWith("running_var");
            for (int i = 0; i < values.length; i++) {
                float noise = (float) random.nextGaussian() * 0.2f;
                values[i] = variance ? 0.5f + Math.abs(noise) : values[i] + noise;
            }
            backend.write(e.getValue(), values);
        }
        return model;
    }

    private static float gain(String name, int rank) {
        if (name.startsWith("metric.") && name.endsWith(".weight")) return METRIC_GAIN;
        if (name.startsWith("encoder.blocks.") && rank == 2 && !name.endsWith("relative_position_bias_table")) return BLOCK_GAIN;
        return 1;
    }

    /** Smooth colour gradients with noise, as 64×64 PNG files 0.png, 1.png, ... in {@code dir}. */
    static List<Path> writeImages(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(5);
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < IMAGES; k++) {
            BufferedImage image = new BufferedImage(JpegDecoder.SIDE, JpegDecoder.SIDE, BufferedImage.TYPE_3BYTE_BGR);
            double fx = random.nextDouble() * 0.2, fy = random.nextDouble() * 0.2, phase = random.nextDouble() * 6;
            for (int y = 0; y < JpegDecoder.SIDE; y++) {
                for (int x = 0; x < JpegDecoder.SIDE; x++) {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        double v = 128 + 90 * Math.sin(fx * x * (c + 1) + fy * y + phase + c) + 30 * random.nextGaussian();
                        rgb = rgb << 8 | (int) Math.max(0, Math.min(255, Math.round(v)));
                    }
                    image.setRGB(x, y, rgb);
                }
            }
            Path file = dir.resolve(k + ".png");
            ImageIO.write(image, "png", file.toFile());
            files.add(file);
        }
        return files;
    }

    /** The images as simil compare reads them: [N, 3, 64, 64] pixels in [0, 1] after {@code normalization}. */
    static float[] pixels(List<Path> files, Normalization normalization) throws IOException {
        float[] pixels = new float[files.size() * JpegDecoder.IMAGE_BYTES];
        byte[] bytes = new byte[JpegDecoder.IMAGE_BYTES];
        for (int n = 0; n < files.size(); n++) {
            JpegDecoder.toChannelMajor(ImageDecoding.readFile(files.get(n)), bytes, 0);
            ImageStore.scale(bytes, pixels, n, normalization);
        }
        return pixels;
    }

    /** What the engine computes for one case: embeddings of every image, logits and probabilities of {@link #PAIRS}. */
    record Outputs(float[] embeddings, float[] logits, float[] probabilities) {}

    static Outputs engine(Case c, float[] normalizedPixels) {
        Backend backend = c.model().backend();
        int n = normalizedPixels.length / JpegDecoder.IMAGE_BYTES, features = c.model().embeddingSize();
        float[] embeddings = backend.toArray(c.model().embed(
                backend.fromArray(normalizedPixels, n, 3, JpegDecoder.SIDE, JpegDecoder.SIDE), false)).clone();
        float[] a = new float[PAIRS.length * features], b = new float[PAIRS.length * features];
        for (int p = 0; p < PAIRS.length; p++) {
            System.arraycopy(embeddings, PAIRS[p][0] * features, a, p * features, features);
            System.arraycopy(embeddings, PAIRS[p][1] * features, b, p * features, features);
        }
        float[] logits = backend.toArray(c.model().metric().forward(backend.fromArray(a, PAIRS.length, features),
                backend.fromArray(b, PAIRS.length, features), false)).clone();
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) probabilities[i] = Sigmoid.of(logits[i]);
        return new Outputs(embeddings, logits, probabilities);
    }

    /**
     * The fixture tools/torch/parity.py reads: {@code dir}/model (the model directory), images/, and
     * engine.safetensors (pixels in [0, 1], embeddings, pairs, logits, probabilities).
     */
    static void writeTorchFixture(Case c, Path dir) throws IOException {
        Path model = dir.resolve("model");
        ModelFiles.save(c.model(), model);
        if (c.normalization() != Normalization.NONE) ModelFiles.writeNormalization(model, c.normalization());
        List<Path> images = writeImages(dir.resolve("images"));
        float[] raw = pixels(images, Normalization.NONE);
        Outputs outputs = engine(c, pixels(images, c.normalization()));
        int[] pairs = new int[2 * PAIRS.length];
        for (int p = 0; p < PAIRS.length; p++) {
            pairs[2 * p] = PAIRS[p][0];
            pairs[2 * p + 1] = PAIRS[p][1];
        }
        SafeTensors.write(dir.resolve("engine.safetensors"), List.of(
                SafeTensors.Entry.of("pixels", raw, images.size(), 3, JpegDecoder.SIDE, JpegDecoder.SIDE),
                SafeTensors.Entry.of("embeddings", outputs.embeddings(), images.size(), c.model().embeddingSize()),
                SafeTensors.Entry.ofInts("pairs", pairs, PAIRS.length, 2),
                SafeTensors.Entry.of("logits", outputs.logits(), PAIRS.length),
                SafeTensors.Entry.of("probabilities", outputs.probabilities(), PAIRS.length)), Map.of());
    }
}
