package example;

import java.nio.file.Path;
import simil.api.SimilModel;

/** Prints how likely two image files show the same thing, by a trained model: SimilModelExample MODEL_DIR A B */
public class SimilModelExample {
    public static void main(String[] args) {
        SimilModel model = SimilModel.load(Path.of(args[0]));
        float[] a = model.embed(Path.of(args[1]));
        float[] b = model.embed(Path.of(args[2]));
        float p = model.similarity(a, b);
        System.out.printf("similarity %.4f: %s%n", p, p >= model.threshold() ? "similar" : "dissimilar");
    }
}
