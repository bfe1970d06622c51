package simil.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.cli.InProcess;
import simil.tensor.Backend;

/**
 * tools/torch loads Simil checkpoints into PyTorch modules that compute what the engine computes: for each
 * exported kind (MatchNet with batch norm, flip averaging and symmetric scores; the reference MatchNet; BEiT
 * with and without its final norm) the engine writes a fixture, {@code simil export onnx} adds the ONNX files,
 * and tools/torch/parity.py checks embeddings, logits and probabilities within 1e-4 and the ONNX files with
 * the onnx package's checker when it is installed ({@code -Dsimil.parity.model=DIR} adds a trained model). Needs Debian's PyTorch at /usr/bin/python3
 * ({@code apt-get install python3-torch}; {@code python3-onnx} for the ONNX checks); skipped without it.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class TorchParityTest {
    @Parameter
    Backend backend;

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("tools/torch/parity.py");

    @Test
    void pytorchComputesWhatTheEngineComputes(@TempDir Path dir) throws Exception {
        assumeTrue(hasTorch(), "skipped: no PyTorch at " + PYTHON + " (apt-get install python3-torch)");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        List<ExportFixtures.Case> cases = ExportFixtures.cases(backend);
        for (ExportFixtures.Case c : cases) {
            Path fixture = dir.resolve(c.name());
            ExportFixtures.writeTorchFixture(c, fixture);
            InProcess.Outcome export = InProcess.simil("export", "onnx", "--model", fixture.resolve("model").toString(),
                    "--out", fixture.resolve("onnx").toString());
            assertEquals(0, export.code(), export.err());
            command.add(fixture.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the checkout
        Process python = builder.start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(120, TimeUnit.SECONDS), "parity.py did not finish in 2 minutes");
        System.out.print(output);
        assertEquals(0, python.exitValue(), output);
        assertEquals(cases.size(), output.lines().filter(l -> l.startsWith("parity holds")).count(), output);
    }

    /** Whether /usr/bin/python3 imports torch (checked in a child, as the script runs). */
    static boolean hasTorch() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) return false;
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
}
