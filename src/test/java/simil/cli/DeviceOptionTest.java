package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;

/** {@code --device} on every command that computes: {@code cpu} works, {@code cuda} and unknown names are one line before any work. */
class DeviceOptionTest {
    @TempDir
    Path dir;

    /** Each computing command, complete but for --device; none reaches its data, model or weights. */
    private List<String[]> commands() {
        String out = dir.resolve("out").toString(), absent = dir.resolve("absent").toString();
        return List.of(
                new String[] {"train", "matchnet", "--data", absent, "--out", out},
                new String[] {"train", "beit", "--data", absent, "--out", out},
                new String[] {"sweep", "matchnet", "--lr", "1e-4,1e-3", "--data", absent, "--out", out},
                new String[] {"pretrain", "beit", "--tokenizer", absent, "--data", absent, "--out", out},
                new String[] {"tokenizer", "train", "--data", absent, "--out", out},
                new String[] {"eval", "--model", absent, "--data", absent},
                new String[] {"compare", "--model", absent, "a.png", "b.png"},
                new String[] {"import-hf", "--weights", absent, "--config", absent, "--out", out});
    }

    private static String[] with(String[] command, String device) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--device", device));
        return args.toArray(String[]::new);
    }

    @Test
    void cudaIsOneLineAndWritesNothing() {
        for (String[] command : commands()) {
            for (String cuda : new String[] {"cuda", "cuda:1"}) {
                InProcess.Outcome r = InProcess.simil(with(command, cuda));
                assertEquals(1, r.code(), command[0] + ": " + r.err());
                assertEquals("simil: error: --device " + cuda + ": no CUDA backend or driver on this machine (devices here: cpu)\n",
                        r.err(), command[0]);
                assertFalse(Files.exists(dir.resolve("out")), command[0] + " wrote its output before failing");
            }
        }
    }

    @Test
    void anUnknownDeviceListsTheValidOnes() {
        for (String[] command : commands()) {
            InProcess.Outcome r = InProcess.simil(with(command, "gpu"));
            assertEquals(1, r.code(), command[0] + ": " + r.err());
            assertEquals("simil: error: --device gpu: unknown device 'gpu' (cpu, cuda, cuda:N; devices here: cpu)\n", r.err(), command[0]);
        }
    }

    @Test
    void everyComputingCommandTakesDevice() {
        for (String[] command : commands()) {
            InProcess.Outcome help = InProcess.simil(command[0], "--help");
            assertTrue(help.out().contains("--device=DEVICE"), command[0] + " --help:\n" + help.out());
        }
    }

    @Test
    void cpuComputes() throws IOException {
        Path model = dir.resolve("model");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 16, 0.3f, false, 5)), model);
        Path a = dir.resolve("a.png"), b = dir.resolve("b.png");
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(0, 1, 64, 64), "png", a.toFile()));
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(1, 2, 64, 64), "png", b.toFile()));
        InProcess.Outcome onCpu = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString(), "--device", "cpu");
        InProcess.Outcome byDefault = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString());
        assertEquals(0, onCpu.code(), onCpu.err());
        assertTrue(onCpu.out().startsWith("similarity "), onCpu.out());
        assertEquals(byDefault.out(), onCpu.out(), "cpu is the default");
    }
}
