package simil.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simil.data.Normalization;
import simil.export.OnnxExport;
import simil.io.RunDirectory;
import simil.models.PairModel;
import simil.models.files.ModelFiles;

/** {@code simil export onnx}: a model directory as tower.onnx and metric.onnx, for onnxruntime and other ONNX runtimes. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model directory to another format: onnx writes tower.onnx (images in [0, 1] → embeddings) and metric.onnx (two embeddings → logit and probability).")
public final class ExportCommand implements Callable<Integer> {
    /** What an export's folder is, to {@link RunDirectory}. */
    static final RunDirectory.Kind KIND = new RunDirectory.Kind("ONNX export", OnnxExport.TOWER);

    @Parameters(index = "0", paramLabel = "FORMAT", description = "onnx")
    String format;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train, or simil import-hf).")
    Path modelDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for tower.onnx and metric.onnx: new, empty, or an earlier export (created if needed).")
    Path out;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        OptionChecks.oneOf("FORMAT", format, List.of("onnx"));
        RunDirectory.checkOwnable(out, KIND);
        PairModel model = ModelFiles.load(device.open(), modelDir);
        Normalization normalization = ModelFiles.readNormalization(modelDir);
        try (RunDirectory claimed = RunDirectory.claim(out, KIND)) {
            for (Path file : OnnxExport.write(model, normalization, claimed.path())) System.out.println("wrote " + file);
        }
        return 0;
    }
}
