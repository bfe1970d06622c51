package simil.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import simil.models.beit.BeitConfig;

/** What builds a BEiT for pair training: an encoder size, or a pre-trained or imported model to start from. */
public final class BeitOptions {
    @Option(names = "--config", paramLabel = "SIZE", description = "beit: tiny, small, base or cpu (default tiny, cpu for --recipe beit-cpu; with --init, that encoder's shape).")
    String size;

    @Option(names = "--init", paramLabel = "DIR", description = "beit: start from the encoder of this pre-trained or imported model directory.")
    Path init;

    /** Fails when BEiT options are given for another architecture, or --config names no encoder size. */
    void requireBeitOr(String architecture) {
        if (!architecture.equals("beit") && (init != null || size != null)) {
            throw new IllegalArgumentException("--config and --init apply to beit only");
        }
        if (size != null) OptionChecks.oneOf("--config", size, BeitConfig.PRESETS);
    }
}
