package simil.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simil.data.ImageSources;
import simil.data.ImageStore;
import simil.data.JpegDecoder;
import simil.data.Normalization;
import simil.models.PairModel;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.tensor.Backend;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;

/** {@code simil compare}: the similarity probability of two image files and the verdict at the model's threshold. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Print the probability that two images show the same thing, and the verdict (similar or dissimilar).")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train).")
    Path modelDir;

    @Parameters(index = "0", paramLabel = "A", description = "First image (any size; any format ImageIO reads: JPEG, PNG, BMP, GIF, ...).")
    Path first;

    @Parameters(index = "1", paramLabel = "B", description = "Second image.")
    Path second;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        Backend backend = device.open();
        float[] pixels = new float[2 * JpegDecoder.IMAGE_BYTES];
        Normalization norm = ModelFiles.readNormalization(modelDir);
        ImageStore.scale(read(first), pixels, 0, norm);
        ImageStore.scale(read(second), pixels, 1, norm);
        PairModel model = ModelFiles.load(backend, modelDir);
        Tensor embeddings = model.embed(model.backend().fromArray(pixels, 2, 3, JpegDecoder.SIDE, JpegDecoder.SIDE), false);
        Tensor logit = model.metric().forward(embeddings.slice(0, 1), embeddings.slice(1, 2), false);
        float probability = Sigmoid.of(model.backend().toArray(logit)[0]);
        DecisionThreshold threshold = DecisionThreshold.read(modelDir);
        System.out.printf(Locale.ROOT, "similarity %.4f: %s (threshold %.4f, %s)%n", probability,
                probability >= threshold.value() ? "similar" : "dissimilar", threshold.value(), threshold.source());
        return 0;
    }

    /** The image as the model sees it: 64×64 RGB, resized bilinearly, channel-major bytes. */
    private static byte[] read(Path file) {
        byte[] bytes = new byte[JpegDecoder.IMAGE_BYTES];
        ImageSources.readFile(file, bytes, 0);
        return bytes;
    }
}
