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
        int dim = PatchGrid.DIM;
        double pixel = 0, normalized = 0;
        boolean[] used = new boolean[tokenizer.vocabulary()];
        for (int from = 0; from < sample.count(); from += CHUNK) {
            PatchSample part = sample.rows(from, Math.min(sample.count(), from + CHUNK));
            int n = part.count();
            int[] codes = new int[n];
            tokenizer.encode(backend.fromArray(part.patches(), n, dim), codes);
            Tensor out = backend.zeros(n, dim);
            tokenizer.decode(codes, out);
            float[] rec = backend.toArray(out);
            for (int r = 0; r < n; r++) {
                used[codes[r]] = true;
                float s = part.scale()[r];
                for (int i = r * dim; i < (r + 1) * dim; i++) {
                    double d = rec[i] - part.patches()[i];
                    normalized += d * d;
                    pixel += d * d * s * s;
                }
            }
        }
        double count = (double) sample.count() * dim;
        int codes = 0;
        for (boolean u : used) if (u) codes++;
        double mse = pixel / count;
        return new ReconstructionQuality(sample.count(), mse, 10 * Math.log10(1 / Math.max(mse, 1e-12)), normalized / count, codes);
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
