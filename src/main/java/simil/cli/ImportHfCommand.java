package simil.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simil.data.Normalization;
import simil.io.AtomicFiles;
import simil.io.RunDirectory;
import simil.models.beit.Beit;
import simil.models.beit.HfBeitImport;
import simil.models.files.ModelFiles;
import simil.training.RunProvenance;

/**
 * {@code simil import-hf}: a transformers BEiT checkpoint (e.g. microsoft/beit-base-patch16-224-pt22k) as a
 * Simil BEiT model directory, ready for {@code simil train beit --init DIR}.
 */
@Command(name = "import-hf", mixinStandardHelpOptions = true,
        description = "Import a Hugging Face transformers BEiT checkpoint as a BEiT model directory (encoder imported, pair head fresh).")
public final class ImportHfCommand implements Callable<Integer> {
    /** What an imported model's folder is, to {@link RunDirectory}: one made before markers is never taken for one. */
    static final RunDirectory.Kind KIND = new RunDirectory.Kind("imported model", null);

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The checkpoint's model.safetensors (F32, F16 or BF16).")
    Path weights;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The checkpoint's config.json.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--image-size", defaultValue = "64", paramLabel = "PIXELS",
            description = "Input side the model will see; the grid is this over the checkpoint's patch size, and the relative position bias is resized to it (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--preprocessor", paramLabel = "FILE",
            description = "The checkpoint's preprocessor_config.json, for its image_mean and image_std (default: BEiT's 0.5 and 0.5, pixels in [-1, 1]).")
    Path preprocessor;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fresh pair head and metric network (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast("--image-size", imageSize, 1);
        Beit model = HfBeitImport.read(device.open(), weights, config, imageSize, seed);
        Normalization normalization = preprocessor == null ? HfBeitImport.BEIT_NORMALIZATION : HfBeitImport.readNormalization(preprocessor);
        try (RunDirectory claimed = RunDirectory.claim(out, KIND)) {
            ModelFiles.save(model, claimed.path());
            // Fine-tuning (simil train beit --init) feeds pixels normalized as the checkpoint was pre-trained.
            ModelFiles.writeNormalization(claimed.path(), normalization);
            Map<String, Path> files = new LinkedHashMap<>();
            files.put("weights", weights);
            files.put("config", config);
            files.put("preprocessor", preprocessor);
            AtomicFiles.writeString(claimed.path().resolve(RunProvenance.FILE),
                    RunProvenance.ofImport(Invocation.commandLine(spec), model.backend().device(), files, settings(normalization).toString()));
        }
        var c = model.beitConfig();
        System.out.printf("imported BEiT (dim %d, depth %d, heads %d, patch %d, %d×%d grid; pixels normalized with mean %s, std %s) to %s%n",
                c.dim(), c.depth(), c.heads(), c.patchSize(), c.grid(), c.grid(), Arrays.toString(normalization.mean()),
                Arrays.toString(normalization.std()), out);
        return 0;
    }

    /** The import's settings as its provenance records them: the options and the pixel normalization they gave. */
    private JsonObject settings(Normalization normalization) {
        JsonObject o = new JsonObject();
        o.addProperty("image_size", imageSize);
        o.addProperty("seed", seed);
        o.add("normalization", new Gson().toJsonTree(normalization));
        return o;
    }
}
