package simil.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import simil.io.AtomicFiles;
import simil.io.RunDirectory;
import simil.tensor.Backend;
import simil.tokenizer.KMeansTokenizer;
import simil.tokenizer.PatchSample;
import simil.tokenizer.ReconstructionQuality;
import simil.tokenizer.Tokenizer;
import simil.tokenizer.TokenizerFiles;
import simil.tokenizer.VqVae;
import simil.tokenizer.VqVaeTrainer;
import simil.training.RunProvenance;

/** {@code simil tokenizer train}: fits a visual tokenizer on training patches and reports its reconstruction quality. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Visual tokenizers for BEiT pre-training.")
public final class TokenizerCommand implements Callable<Integer> {
    /** What a tokenizer's folder is, to {@link RunDirectory}. */
    static final RunDirectory.Kind KIND = new RunDirectory.Kind("tokenizer", "tokenizer.json");
    /** Patches per VQ-VAE training step. */
    private static final int VQVAE_BATCH = 1024;
    /** The VQ-VAE's Adam learning rate. */
    private static final float VQVAE_LEARNING_RATE = 1e-3f;

    @Parameters(index = "0", paramLabel = "ACTION", description = "train")
    String action;

    @Option(names = "--kind", defaultValue = "vqvae", description = "vqvae (the paper's discrete VAE, vector-quantized) or kmeans; default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--vocab", defaultValue = "8192", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabulary;

    @Option(names = "--epochs", defaultValue = "10", description = "VQ-VAE epochs or k-means iterations (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patches", defaultValue = "200000", description = "Training patches sampled from the train split (default: ${DEFAULT-VALUE}).")
    int patches;

    @Option(names = "--val-patches", defaultValue = "20000", description = "Validation patches for the quality report (default: ${DEFAULT-VALUE}).")
    int validationPatches;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the sample and the fit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Tokenizer directory (config.json, model.safetensors, tokenizer.json).")
    Path out;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    /** Every option in its range before any work: a k-means fit needs a patch per token, a VQ-VAE a batch of them. */
    private void validate() {
        if (!action.equals("train")) throw new IllegalArgumentException("unknown action '" + action + "' (train)");
        OptionChecks.oneOf("--kind", kind, List.of("vqvae", "kmeans"));
        OptionChecks.atLeast("--vocab", vocabulary, 2);
        OptionChecks.atLeast("--epochs", epochs, 0);
        OptionChecks.atLeast("--patches", patches, kind.equals("kmeans") ? vocabulary : VQVAE_BATCH);
        OptionChecks.atLeast("--val-patches", validationPatches, 1);
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Backend backend = device.open();
        try (RunDirectory claimed = RunDirectory.claim(out, KIND)) {
            return train(backend, claimed.path());
        }
    }

    /** Fits the tokenizer on {@code backend} and writes it into {@code out} (claimed). */
    private int train(Backend backend, Path out) throws Exception {
        Path archive = data.archive(System.err);
        DataOptions.Loaded loaded = data.load(archive, System.err);
        // Recorded as the fit starts, written with the tokenizer: a fit that fails leaves no record of itself.
        String provenance = RunProvenance.onData(Invocation.commandLine(spec), backend.device(), data.fingerprint(archive),
                loaded.store(), loaded.splits(), "tokenizer", settings().toString());
        PatchSample train = PatchSample.draw(backend, loaded.store(), loaded.splits().train().indices(), patches, seed);
        PatchSample validation = PatchSample.draw(backend, loaded.store(), loaded.splits().validation().indices(), validationPatches, seed + 1);
        System.err.printf("fitting a %s tokenizer (vocabulary %d) on %d patches%n", kind, vocabulary, train.count());
        long start = System.nanoTime();
        Tokenizer tokenizer = switch (kind) {
            case "kmeans" -> KMeansTokenizer.fit(backend, train.patches(), vocabulary, epochs, seed, System.err);
            case "vqvae" -> VqVaeTrainer.train(backend, VqVae.Config.standard(vocabulary), train, epochs, VQVAE_BATCH, VQVAE_LEARNING_RATE, seed,
                    System.err);
            default -> throw new IllegalStateException("--kind " + kind + " passed its check");
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        ReconstructionQuality quality = ReconstructionQuality.measure(tokenizer, validation);
        TokenizerFiles.save(tokenizer, out);
        AtomicFiles.writeString(out.resolve(RunProvenance.FILE), provenance);
        JsonObject report = new JsonObject();
        report.addProperty("kind", kind);
        report.addProperty("vocabulary", vocabulary);
        report.addProperty("epochs", epochs);
        report.addProperty("train_patches", train.count());
        report.addProperty("fit_seconds", seconds);
        report.add("validation", quality.toJson());
        AtomicFiles.writeString(out.resolve("tokenizer.json"), new GsonBuilder().setPrettyPrinting().create().toJson(report));
        System.out.println("validation reconstruction: " + quality);
        System.out.println("tokenizer written to " + out);
        return 0;
    }

    /** Every setting of the fit, the fixed ones of the VQ-VAE included, as its provenance records them. */
    private JsonObject settings() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind);
        o.addProperty("vocabulary", vocabulary);
        o.addProperty("epochs", epochs);
        o.addProperty("patches", patches);
        o.addProperty("val_patches", validationPatches);
        o.addProperty("seed", seed);
        if (kind.equals("vqvae")) {
            o.add("vqvae", new Gson().toJsonTree(VqVae.Config.standard(vocabulary)));
            o.addProperty("batch", VQVAE_BATCH);
            o.addProperty("lr", VQVAE_LEARNING_RATE);
        }
        return o;
    }
}
