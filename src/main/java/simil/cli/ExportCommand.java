package simil.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simil.data.Normalization;
import simil.export.OnnxExport;
import simil.models.PairModel;
import simil.models.files.ModelFiles;

/** {@code simil export onnx}: a model directory as tower.onnx and metric.onnx, for onnxruntime and other ONNX runtimes. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model directory to another format: onnx writes tower.onnx (images in [0, 1] → embeddings) and metric.onnx (two embeddings → logit and probability).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FORMAT", description = "onnx")
    String format;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train, or simil import-hf).")
    Path modelDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for tower.onnx and metric.onnx (created if needed).")
    Path out;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        OptionChecks.oneOf("FORMAT", format, List.of("onnx"));
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + ": not a directory");
        PairModel model = ModelFiles.load(device.open(), modelDir);
        Normalization normalization = ModelFiles.readNormalization(modelDir);
        for (Path file : OnnxExport.write(model, normalization, out)) System.out.println("wrote " + file);
        return 0;
    }
}
