package simil.tokenizer;

import com.google.gson.JsonObject;
import java.util.Locale;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * How well a tokenizer's codes reproduce patches: each patch is encoded, decoded, mapped back to pixels
 * with its own mean and scale, and compared with the original in [0, 1] pixel units. PSNR = 10·log10(1 / MSE).
 *
 * @param pixelMse      mean squared error in [0, 1] pixel units
 * @param psnr          peak signal-to-noise ratio in dB (peak 1)
 * @param normalizedMse mean squared error between normalized patches (what the tokenizer was fitted on)
 * @param codesUsed     distinct codes the sample's patches map to
 */
public record ReconstructionQuality(int patches, double pixelMse, double psnr, double normalizedMse, int codesUsed) {
    private static final int CHUNK = 4096;

    public static ReconstructionQuality measure(Tokenizer tokenizer, PatchSample sample) {
        Backend backend = tokenizer.backend();
        int dim = PatchGrid.DIM, rows = Math.min(CHUNK, sample.count());
        float normalized, pixel;
        int[] perCode;
        try (Tensor codes = backend.intZeros(rows); Tensor used = backend.intZeros(tokenizer.vocabulary());
             Tensor error = backend.zeros(rows, dim); Tensor normalizedSum = backend.zeros(1); Tensor pixelSum = backend.zeros(1)) {
            for (int from = 0; from < sample.count(); from += CHUNK) {
                PatchSample part = sample.rows(from, Math.min(sample.count(), from + CHUNK));
                int n = part.count();
                Tensor c = codes.slice(0, n), e = error.slice(0, n);
                tokenizer.encode(part.patches(), c);
                backend.codebooks().countCodes(c, used);
                tokenizer.decode(c, e);
                backend.tensors().axpy(-1f, part.patches(), e);
                backend.tensors().sumOfSquares(e, normalizedSum, true);
                // Back in pixel units the error of a patch is its normalized error times the patch's scale.
                backend.tensors().scaleRows(e, part.scale(), e);
                backend.tensors().sumOfSquares(e, pixelSum, true);
            }
            normalized = backend.toArray(normalizedSum)[0];
            pixel = backend.toArray(pixelSum)[0];
            perCode = backend.toIntArray(used);
        }
        double count = (double) sample.count() * dim;
        int codesUsed = 0;
        for (int u : perCode) if (u > 0) codesUsed++;
        double mse = pixel / count;
        return new ReconstructionQuality(sample.count(), mse, 10 * Math.log10(1 / Math.max(mse, 1e-12)), normalized / count, codesUsed);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("patches", patches);
        o.addProperty("pixel_mse", pixelMse);
        o.addProperty("psnr_db", psnr);
        o.addProperty("normalized_mse", normalizedMse);
        o.addProperty("codes_used", codesUsed);
        return o;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "pixel MSE %.5f, PSNR %.2f dB, normalized MSE %.4f, %d codes used on %d patches",
                pixelMse, psnr, normalizedMse, codesUsed, patches);
    }
}
