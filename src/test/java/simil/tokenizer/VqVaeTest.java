package simil.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class VqVaeTest {
    @org.junit.jupiter.params.Parameter
    Backend be;
    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void matchesPyTorchForwardAndStraightThroughBackward() {
        Golden g = Golden.load("vqvae");
        VqVae model = new VqVae(be, new VqVae.Config(g.intParam("in"), g.intParam("hidden"), g.intParam("code_dim"),
                g.intParam("vocabulary"), g.floatParam("beta")));
        for (Parameter p : model.parameters()) g.copyInto(p.name(), p.value());
        float[] losses = be.toArray(model.forward(g.tensor(be, "x")));
        assertArrayEquals(g.ints("codes"), be.toIntArray(model.quantizer().codes()));
        g.assertMatches("x_hat", model.reconstruction());
        Golden.assertClose("recon", g.floats("recon"), new float[] {losses[1]}, Golden.TOLERANCE);
        Golden.assertClose("loss", g.floats("loss"), new float[] {losses[0]}, Golden.TOLERANCE);
        model.backward();
        for (Parameter p : model.parameters()) g.assertMatches("d." + p.name(), p.grad());
    }

    /**
     * With the codes held fixed, the straight-through estimator is the exact gradient of the surrogate
     * recon(decoder(z + c)) + β·mean‖z − e‖² + mean‖e − z₀‖², c = e − z₀ frozen at the base point: checked by
     * central differences for every encoder, decoder and codebook parameter.
     */
    @Test
    void straightThroughGradientsMatchFiniteDifferencesWithCodesFixed() {
        VqVae.Config config = new VqVae.Config(12, 16, 4, 5, 0.25f);
        VqVae model = new VqVae(be, config).init(3);
        be.random().normal(model.quantizer().codebook().value(), 0f, 0.5f, 4);
        Tensor x = be.zeros(7, 12);
        be.random().normal(x, 0f, 1f, 5);
        model.forward(x);
        int[] codes = be.toIntArray(model.quantizer().codes());
        model.parameters().forEach(Parameter::zeroGrad);
        model.forwardWithCodes(x, be.fromIntArray(codes, codes.length));
        model.backward();

        float[] z0 = be.toArray(model.encoder().forward(x, false));
        Tensor e0 = be.fromArray(be.toArray(model.quantizer().codebook().value()), 5, 4);
        int n = 7, c = 4;
        DoubleSupplier surrogate = () -> {
            float[] z = be.toArray(model.encoder().forward(x, false));
            float[] e = be.toArray(model.quantizer().codebook().value());
            float[] e0v = be.toArray(e0);
            float[] shifted = new float[n * c];
            double commit = 0, codebookTerm = 0;
            for (int r = 0; r < n; r++) for (int j = 0; j < c; j++) {
                int i = r * c + j;
                shifted[i] = z[i] + (e0v[codes[r] * c + j] - z0[i]);
                commit += Math.pow(z[i] - e0v[codes[r] * c + j], 2);
                codebookTerm += Math.pow(e[codes[r] * c + j] - z0[i], 2);
            }
            float[] xHat = be.toArray(model.decoder().forward(be.fromArray(shifted, n, c), false));
            float[] xs = be.toArray(x);
            double recon = 0;
            for (int i = 0; i < xs.length; i++) recon += Math.pow(xHat[i] - xs[i], 2);
            return recon / xs.length + config.beta() * commit / (n * c) + codebookTerm / (n * c);
        };
        for (Parameter p : model.parameters()) assertFiniteDifferences(p, surrogate);
    }

    private void assertFiniteDifferences(Parameter p, DoubleSupplier loss) {
        float[] v = be.toArray(p.value()), analytic = be.toArray(p.grad());
        double diff2 = 0, norm2 = 0;
        float h = 1e-2f;
        for (int i = 0; i < v.length; i++) {
            float saved = v[i];
            v[i] = saved + h;
            be.write(p.value(), v);
            double plus = loss.getAsDouble();
            v[i] = saved - h;
            be.write(p.value(), v);
            double minus = loss.getAsDouble();
            v[i] = saved;
            be.write(p.value(), v);
            double numeric = (plus - minus) / (2 * h);
            diff2 += Math.pow(numeric - analytic[i], 2);
            norm2 += Math.pow(numeric, 2);
        }
        assertTrue(norm2 > 0, p.name() + ": zero gradient");
        double rel = Math.sqrt(diff2 / norm2);
        assertTrue(rel < 2e-3, p.name() + ": relative error " + rel);
    }

    @Test
    void trainingImprovesReconstructionAndIsDeterministic(@TempDir Path dir) throws Exception {
        PatchSample train = SyntheticImages.patches(be, 16, 1), validation = SyntheticImages.patches(be, 8, 2);
        VqVae.Config config = new VqVae.Config(PatchGrid.DIM, 48, 8, 32, 0.25f);
        VqVae short1 = VqVaeTrainer.train(be, config, train, 1, 128, 2e-3f, 7, quiet);
        VqVae longer = VqVaeTrainer.train(be, config, train, 5, 128, 2e-3f, 7, quiet);
        ReconstructionQuality a = ReconstructionQuality.measure(short1, validation);
        ReconstructionQuality b = ReconstructionQuality.measure(longer, validation);
        assertTrue(b.normalizedMse() < 0.9 * a.normalizedMse(), a + " → " + b);

        VqVae again = VqVaeTrainer.train(be, config, train, 1, 128, 2e-3f, 7, quiet);
        assertArrayEquals(be.toArray(short1.quantizer().codebook().value()), be.toArray(again.quantizer().codebook().value()));

        TokenizerFiles.save(longer, dir);
        Tokenizer loaded = TokenizerFiles.load(be, dir);
        assertEquals("vqvae", loaded.kind());
        Tensor images = be.fromArray(SyntheticImages.make(2, 9), 2, 3, 64, 64);
        Tensor t1 = be.intZeros(2, 64), t2 = be.intZeros(2, 64);
        longer.tokenize(images, t1);
        loaded.tokenize(images, t2);
        assertArrayEquals(be.toIntArray(t1), be.toIntArray(t2));
    }
}
