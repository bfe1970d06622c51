package simil.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simil.data.ImageBatcher;
import simil.data.ImageSources;
import simil.data.Split;
import simil.data.Splits;
import simil.data.TinyImageNet;
import simil.io.ProgressBar;
import simil.models.PairModel;
import simil.models.files.ModelFiles;
import simil.scoring.Embeddings;
import simil.scoring.EmbeddingsFile;
import simil.scoring.ImageEmbedder;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** {@code simil embed}: a model's embeddings of images or of a dataset split, with their ids, in one safetensors file. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Write a model's embeddings of images (files, folders, zips) or of a dataset split, with their ids, to a safetensors file.",
                "Layout: tensor 'embeddings' F32 [N, F]; for a split also 'labels' I32 [N]; metadata 'ids' (a JSON array of N paths) and the model's SHA-256."})
public final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train).")
    Path modelDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    /** What to embed: images the user names, or a split of the dataset. */
    static final class What {
        @Option(names = "--images", arity = "1..*", paramLabel = "PATH",
                description = "Image files, folders (every image under them) or zips (every image in them).")
        List<Path> images;

        @Option(names = "--split", paramLabel = "S",
                description = "A split of the dataset (--data): holdout (or val), validation or train, carved as for the model (its data.json).")
        String split;
    }

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Where the embeddings go (written atomically).")
    Path out;

    @Mixin
    DataOptions data;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (what.split != null && !what.split.equals("val")) OptionChecks.oneOf("--split", what.split, Splits.NAMES);
        if (Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + ": is a folder; give a file (FILE.safetensors)");
        Backend backend = device.open();
        PairModel model = ModelFiles.load(backend, modelDir);
        String modelSha256 = ModelFiles.weightsSha256(modelDir);
        long start = System.nanoTime();
        EmbeddingsFile.Contents contents = what.images != null ? embedImages(model, modelSha256) : embedSplit(model, modelSha256);
        EmbeddingsFile.write(out, contents);
        System.err.printf(Locale.ROOT, "wrote %d embeddings of %d floats (%s) to %s in %.1f s%n", contents.count(), contents.dimension(),
                contents.source(), out, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private EmbeddingsFile.Contents embedImages(PairModel model, String modelSha256) {
        try (ImageSources images = ImageSources.open(what.images)) {
            ProgressBar bar = new ProgressBar(System.err, "embedding", images.size(), "images", 1);
            Tensor e = new ImageEmbedder(model, ModelFiles.readNormalization(modelDir)).embed(images, bar::update);
            bar.finish();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) ids.add(images.id(i));
            return new EmbeddingsFile.Contents(ids, model.embeddingSize(), model.backend().toArray(e), null, null,
                    model.architecture(), modelDir.toString(), modelSha256, "images " + String.join(" ", what.images.stream().map(Path::toString).toList()));
        }
    }

    private EmbeddingsFile.Contents embedSplit(PairModel model, String modelSha256) throws Exception {
        Path archive = data.archive(System.err);
        data.adoptRun(modelDir, archive, System.err);
        DataOptions.Loaded loaded = data.load(archive, System.err);
        Split split = loaded.splits().named(what.split);
        ImageBatcher batcher = new ImageBatcher(model.backend(), loaded.store(), ModelFiles.readNormalization(modelDir), null);
        ProgressBar bar = new ProgressBar(System.err, "embedding " + split.name(), split.size(), "images", 1);
        Tensor e = Embeddings.compute(model, batcher, split.indices(), ImageEmbedder.BATCH, bar::update);
        bar.finish();
        String[] entries = TinyImageNet.entryPaths(loaded.archive(), data.subset(), loaded.store());
        boolean folder = Files.isDirectory(loaded.archive());
        List<String> ids = new ArrayList<>(), classes = new ArrayList<>();
        for (int i : split.indices()) ids.add(folder ? loaded.archive().resolve(entries[i]).toString() : loaded.archive() + "!/" + entries[i]);
        for (int c = 0; c < loaded.store().classCount(); c++) classes.add(loaded.store().wnid(c));
        return new EmbeddingsFile.Contents(ids, model.embeddingSize(), model.backend().toArray(e), split.labels(), classes,
                model.architecture(), modelDir.toString(), modelSha256, split.name() + " split of " + loaded.archive());
    }
}
