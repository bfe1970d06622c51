package simil.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simil.backend.Backends;
import simil.backend.cuda.CudaBackend;
import simil.io.AtomicFiles;
import simil.io.ProgressBar;
import simil.io.Terminal;
import simil.parity.CaseResult;
import simil.parity.MatchNetParity;
import simil.parity.ParityCase;
import simil.parity.ParitySuite;
import simil.parity.ParityTable;
import simil.tensor.Backend;

/**
 * {@code simil device-check}: what a GPU machine runs to see whether the CUDA backend computes what the CPU does.
 * Prints the device's details (GPU, driver, runtime, cuBLAS, cuDNN), checks every op against the CPU backend in its
 * best instruction set on random inputs ({@link ParitySuite}), then trains MatchNet on both from one seed and compares
 * the losses ({@link MatchNetParity}); one table, one summary line, exit 1 if anything is out of tolerance.
 */
@Command(name = "device-check", mixinStandardHelpOptions = true,
        description = {"Check a device against the CPU: every op on random inputs, then MatchNet trained on both from one seed.",
                "Prints the device's driver and library versions, one table (op | max abs err | max rel err | tolerance | ok)"
                        + " and a summary; exit 1 if any op or the loss curve is out of tolerance."})
public final class DeviceCheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cuda",
            description = "The device to check: cuda or cuda:N (or cpu: the instruction set SIMIL_ISA selects, against the best); default: ${DEFAULT-VALUE}.")
    private String device;

    @Option(names = "--emulated", hidden = true,
            description = "Check the CUDA backend over the host emulator (the GPU's kernels compiled for this CPU) instead of --device: tests this command without a GPU.")
    private boolean emulated;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300",
            description = "MatchNet training steps on each device (0: none); default: ${DEFAULT-VALUE}.")
    private int steps;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write every result, the device's details and both loss curves as JSON into FILE.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        OptionChecks.atLeast("--steps", steps, 0);
        Backend candidate = emulated ? CudaBackend.emulated() : open(device);
        Backend reference = ParitySuite.reference();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("device:    %s: %s%n", candidate.name(), candidate.device().description());
        for (Map.Entry<String, String> d : candidate.device().details().entrySet()) w.printf("  %-16s %s%n", d.getKey(), d.getValue());
        w.printf("reference: %s: %s%n", reference.name(), reference.device().description());
        w.flush();

        long start = System.nanoTime();
        List<ParityCase> cases = ParitySuite.cases();
        ProgressBar bar = new ProgressBar(System.err, "checking ops", cases.size(), "ops", 1);
        List<CaseResult> results = new ArrayList<>();
        for (ParityCase c : cases) {
            results.add(c.check(reference, candidate));
            bar.update(results.size());
        }
        if (Terminal.redraws(System.err)) System.err.println();
        MatchNetParity.Comparison training = null;
        if (steps > 0) {
            System.err.printf("training MatchNet for %d steps on %s, then on %s%n", steps, candidate.name(), reference.name());
            training = MatchNetParity.compare(reference, candidate, MatchNetParity.Settings.of(steps));
            results.addAll(training.results());
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        w.print(ParityTable.format(results));
        String failures = ParityTable.failures(results);
        if (!failures.isEmpty()) w.print("failures:" + System.lineSeparator() + failures);
        if (training != null) w.println(training.describe());
        boolean ok = results.stream().noneMatch(CaseResult::failed);
        w.printf(Locale.ROOT, "%s: %s against %s; %.0f s%n", ok ? "in parity" : "NOT in parity", ParityTable.summary(results),
                reference.name(), seconds);
        w.flush();
        if (out != null) AtomicFiles.writeString(out, json(candidate, reference, results, training, seconds));
        return ok ? 0 : 1;
    }

    private static Backend open(String device) {
        try {
            return Backends.open(device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--device " + device + ": " + e.getMessage(), e);
        }
    }

    private static String json(Backend candidate, Backend reference, List<CaseResult> results, MatchNetParity.Comparison training,
                               double seconds) {
        JsonObject o = new JsonObject();
        o.addProperty("device", candidate.name());
        o.addProperty("description", candidate.device().description());
        JsonObject details = new JsonObject();
        candidate.device().details().forEach(details::addProperty);
        o.add("details", details);
        o.addProperty("reference", reference.name());
        o.addProperty("seconds", seconds);
        JsonArray rows = new JsonArray();
        for (CaseResult r : results) {
            JsonObject row = new JsonObject();
            row.addProperty("op", r.op());
            row.addProperty("status", r.status().name().toLowerCase(Locale.ROOT));
            if (r.status() != CaseResult.Status.SKIPPED) {
                row.addProperty("max_abs_err", r.maxAbs());
                row.addProperty("max_rel_err", r.maxRel());
            }
            row.addProperty("tolerance_abs", r.tolerance().abs());
            row.addProperty("tolerance_rel", r.tolerance().rel());
            if (!r.detail().isEmpty()) row.addProperty("detail", r.detail());
            row.addProperty("seconds", r.seconds());
            rows.add(row);
        }
        o.add("results", rows);
        if (training != null) {
            JsonObject t = new JsonObject();
            t.add("reference_losses", floats(training.reference()));
            t.add("candidate_losses", floats(training.candidate()));
            o.add("matchnet", t);
        }
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(o) + "\n";
    }

    private static JsonArray floats(float[] v) {
        JsonArray a = new JsonArray();
        for (float x : v) a.add(x);
        return a;
    }
}
