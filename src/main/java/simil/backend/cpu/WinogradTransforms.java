package simil.backend.cpu;

/**
 * The three matrices of Winograd's minimal filtering F(m, r) (Lavin and Gray, 2016): m outputs of an r-tap
 * correlation from α = m + r − 1 inputs with α multiplications,
 * y = Aᵀ [(G g) ⊙ (Bᵀ d)], and in two dimensions Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A.
 *
 * <p>Derived here by Toom–Cook rather than typed in: G and Aᵀ evaluate the filter and the output
 * polynomial at the points 0, 1, −1, 2, −2, … and ∞; Bᵀ is the transpose of the interpolation that maps
 * those α values back to coefficients. Each row of Bᵀ is scaled to a largest entry of 1 and the matching
 * row of G divided by the same factor, which gives the familiar integer Bᵀ (for F(2, 3) Lavin's matrices up
 * to signs). Bᵀ and Aᵀ are also kept flat in float, as the native tile transforms take them.
 */
final class WinogradTransforms {
    final int m, r, alpha;
    /** Bᵀ (α × α), G (α × r), Aᵀ (m × α), dense. */
    final double[][] bt, g, at;
    /** Bᵀ and Aᵀ row-major in float (native/simil_winograd.c). */
    final float[] btFlat, atFlat;

    WinogradTransforms(int m, int r) {
        this.m = m;
        this.r = r;
        this.alpha = m + r - 1;
        double[] points = points(alpha - 1);
        g = new double[alpha][r];
        at = new double[m][alpha];
        double[][] evaluation = new double[alpha][alpha];
        for (int j = 0; j < alpha - 1; j++) {
            for (int k = 0; k < r; k++) g[j][k] = Math.pow(points[j], k);
            for (int i = 0; i < m; i++) at[i][j] = Math.pow(points[j], i);
            for (int l = 0; l < alpha; l++) evaluation[j][l] = Math.pow(points[j], l);
        }
        g[alpha - 1][r - 1] = 1;        // the point at infinity reads the leading coefficient
        at[m - 1][alpha - 1] = 1;
        evaluation[alpha - 1][alpha - 1] = 1;
        bt = transpose(invert(evaluation));
        for (int j = 0; j < alpha; j++) {
            double scale = 0;
            for (double v : bt[j]) scale = Math.max(scale, Math.abs(v));
            for (int l = 0; l < alpha; l++) bt[j][l] /= scale;
            for (int k = 0; k < r; k++) g[j][k] *= scale;
        }
        btFlat = flatten(bt);
        atFlat = flatten(at);
    }

    /** G ⊗ G in float, row-major [α²][r²]: entry ((i, j), (row, col)) = G[i][row] · G[j][col], so that U = G g Gᵀ is one product. */
    float[] filterKronecker() {
        float[] kron = new float[alpha * alpha * r * r];
        for (int i = 0; i < alpha; i++) {
            for (int j = 0; j < alpha; j++) {
                for (int row = 0; row < r; row++) {
                    for (int col = 0; col < r; col++) kron[((i * alpha + j) * r + row) * r + col] = (float) (g[i][row] * g[j][col]);
                }
            }
        }
        return kron;
    }

    /** 0, 1, −1, 2, −2, 1/2, −1/2, …: the small points that keep the transforms well conditioned. */
    private static double[] points(int count) {
        double[] candidates = {0, 1, -1, 2, -2, 0.5, -0.5, 3, -3};
        if (count > candidates.length) throw new IllegalArgumentException("Winograd tile too large: " + count + " points");
        double[] points = new double[count];
        System.arraycopy(candidates, 0, points, 0, count);
        return points;
    }

    private static float[] flatten(double[][] a) {
        float[] flat = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) flat[i * a[0].length + j] = (float) a[i][j];
        }
        return flat;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        }
        return t;
    }

    /** Gauss–Jordan with partial pivoting; the matrices here are at most 8 × 8 and well conditioned. */
    private static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] w = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, w[i], 0, n);
            w[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) if (Math.abs(w[i][col]) > Math.abs(w[pivot][col])) pivot = i;
            double[] swap = w[col]; w[col] = w[pivot]; w[pivot] = swap;
            double p = w[col][col];
            for (int j = 0; j < 2 * n; j++) w[col][j] /= p;
            for (int i = 0; i < n; i++) {
                if (i == col || w[i][col] == 0) continue;
                double f = w[i][col];
                for (int j = 0; j < 2 * n; j++) w[i][j] -= f * w[col][j];
            }
        }
        double[][] inverse = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(w[i], n, inverse[i], 0, n);
        return inverse;
    }
}
