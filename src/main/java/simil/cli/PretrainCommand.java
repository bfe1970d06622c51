package simil.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import simil.data.DataFingerprint;
import simil.tokenizer.Tokenizer;
import simil.tokenizer.TokenizerFiles;
import simil.training.MimPretraining;
import simil.training.PretrainSettings;

/** {@code simil pretrain beit}: masked-image-modeling pre-training of a BEiT encoder, checkpointed every epoch. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = "Pre-train a BEiT encoder by masked image modeling.")
public final class PretrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "beit")
    String architecture;

    @Option(names = "--config", defaultValue = "tiny", description = "Encoder size: tiny, small, base or cpu (a convolutional stem, for beit-cpu) (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--tokenizer", required = true, paramLabel = "DIR", description = "Tokenizer directory (simil tokenizer train).")
    Path tokenizer;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", description = "Peak learning rate (default: 1.5e-3 × batch / 256).")
    Float lr;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--warmup-steps", defaultValue = "500", description = "Linear warmup steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--images-per-epoch", defaultValue = "0", description = "Training images per epoch (default: the whole train split).")
    int imagesPerEpoch;

    @Option(names = "--no-augment", description = "Train without random crops and flips.")
    boolean noAugment;

    @Option(names = "--budget-minutes", defaultValue = "0", description = "Wall-time budget: a probe of the first steps sizes the epochs (at most --epochs, the schedule run to its end) so the run fits; an error when one epoch does not (0: none).")
    float budgetMinutes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of weights, batches, masks and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (encoder, checkpoints, metrics).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!architecture.equals("beit")) throw new IllegalArgumentException("unknown model '" + architecture + "' (beit)");
        PretrainSettings settings = new PretrainSettings(config, tokenizer.toString(), epochs, batch,
                lr != null ? lr : PretrainSettings.scaledLr(batch), weightDecay, warmupSteps, imagesPerEpoch, 0.4,
                !noAugment, budgetMinutes, seed).validate();
        var backend = device.open();
        Tokenizer tok = TokenizerFiles.load(backend, tokenizer);
        Path archive = data.archive(System.err);
        DataFingerprint fingerprint = data.fingerprint(archive);
        // Refused before the data is loaded, and before anything is written.
        MimPretraining.checkCanStart(out, resume, settings, fingerprint);
        DataOptions.Loaded loaded = data.load(archive, System.err);
        settings.validateFor(loaded.splits().train().size());
        new MimPretraining(backend, settings, tok, fingerprint, loaded.store(), loaded.splits(), out, System.err,
                Invocation.commandLine(spec)).run(resume);
        System.out.println("pre-trained encoder written to " + out + " (use: simil train beit --init " + out + ")");
        return 0;
    }
}
