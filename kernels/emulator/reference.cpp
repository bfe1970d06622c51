// What cuBLAS and cuDNN compute, with double accumulation: the emulator's stand-ins for them, and a reference.
// Semantics as the libraries define them, down to beta == 0 ignoring the old contents of the output, so that a
// caller's mistake shows here as it would on a GPU. Every one is a product of two operands packed row-contiguous
// in the summed index (the convolutions through im2col), so one blocked loop does the arithmetic.
#include "emulator.h"

#include <algorithm>
#include <vector>

namespace {

// out[i·n + j] = Σ_l a[i·k + l] · b[j·k + l] in double, for i < m, j < n: 2 × 2 outputs at a time, each operand
// read once for two of them (each sum still in l order).
void products(const float* a, const float* b, int m, int n, int k, double* out) {
    int i = 0;
    for (; i + 2 <= m; i += 2) {
        const float *a0 = a + (size_t) i * k, *a1 = a0 + k;
        int j = 0;
        for (; j + 2 <= n; j += 2) {
            const float *b0 = b + (size_t) j * k, *b1 = b0 + k;
            double s00 = 0, s01 = 0, s10 = 0, s11 = 0;
            for (int l = 0; l < k; l++) {
                double x0 = a0[l], x1 = a1[l], y0 = b0[l], y1 = b1[l];
                s00 += x0 * y0;
                s01 += x0 * y1;
                s10 += x1 * y0;
                s11 += x1 * y1;
            }
            out[(size_t) i * n + j] = s00;
            out[(size_t) i * n + j + 1] = s01;
            out[(size_t) (i + 1) * n + j] = s10;
            out[(size_t) (i + 1) * n + j + 1] = s11;
        }
        for (; j < n; j++) {
            const float* b0 = b + (size_t) j * k;
            double s0 = 0, s1 = 0;
            for (int l = 0; l < k; l++) {
                s0 += (double) a0[l] * b0[l];
                s1 += (double) a1[l] * b0[l];
            }
            out[(size_t) i * n + j] = s0;
            out[(size_t) (i + 1) * n + j] = s1;
        }
    }
    for (; i < m; i++) {
        const float* a0 = a + (size_t) i * k;
        for (int j = 0; j < n; j++) {
            const float* b0 = b + (size_t) j * k;
            double s = 0;
            for (int l = 0; l < k; l++) s += (double) a0[l] * b0[l];
            out[(size_t) i * n + j] = s;
        }
    }
}

// The window values of image n: cols[p·R + r] for output position p = oy·OW + ox and r = (c·kh + ky)·kw + kx, 0
// where the window leaves the image (R = C·kh·kw).
void im2col(const simil_emu_conv& s, const float* x, int n, float* cols) {
    int r_count = s.in_channels * s.kernel_h * s.kernel_w;
    for (int oy = 0; oy < s.out_height; oy++) {
        for (int ox = 0; ox < s.out_width; ox++) {
            float* col = cols + (size_t) (oy * s.out_width + ox) * r_count;
            for (int c = 0, r = 0; c < s.in_channels; c++) {
                const float* plane = x + ((size_t) n * s.in_channels + c) * s.height * s.width;
                for (int ky = 0; ky < s.kernel_h; ky++) {
                    int iy = oy * s.stride - s.padding + ky;
                    for (int kx = 0; kx < s.kernel_w; kx++, r++) {
                        int ix = ox * s.stride - s.padding + kx;
                        col[r] = iy < 0 || iy >= s.height || ix < 0 || ix >= s.width ? 0.0f : plane[(size_t) iy * s.width + ix];
                    }
                }
            }
        }
    }
}

}  // namespace

void simil_emu_gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                    long long stride_a, const float* b, int ldb, long long stride_b, float beta, float* c, int ldc,
                    long long stride_c, int batch) {
    // op(A) row by row and op(B) column by column, each contiguous in the summed index.
    std::vector<float> rows((size_t) m * k), cols((size_t) n * k);
    std::vector<double> sums((size_t) m * n, 0.0);
    bool product = alpha != 0 && k > 0;  // cuBLAS reads neither A nor B otherwise
    for (int p = 0; p < batch; p++) {
        const float* ap = a + p * stride_a;
        const float* bp = b + p * stride_b;
        float* cp = c + p * stride_c;
        if (product) {
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) rows[(size_t) i * k + l] = trans_a ? ap[l + (long long) i * lda] : ap[i + (long long) l * lda];
            }
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < k; l++) cols[(size_t) j * k + l] = trans_b ? bp[j + (long long) l * ldb] : bp[l + (long long) j * ldb];
            }
            products(rows.data(), cols.data(), m, n, k, sums.data());
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double sum = sums[(size_t) i * n + j];
                float& out = cp[i + (long long) j * ldc];
                out = beta == 0 ? (float) (alpha * sum) : (float) (alpha * sum + (double) beta * out);
            }
        }
    }
}

void simil_emu_conv_forward(const simil_emu_conv& s, const float* x, const float* w, float* y) {
    int r_count = s.in_channels * s.kernel_h * s.kernel_w, positions = s.out_height * s.out_width;
    std::vector<float> cols((size_t) positions * r_count);
    std::vector<double> sums((size_t) s.out_channels * positions);
    for (int n = 0; n < s.batch; n++) {
        im2col(s, x, n, cols.data());
        products(w, cols.data(), s.out_channels, positions, r_count, sums.data());  // w is [O][R] already
        float* yn = y + (size_t) n * s.out_channels * positions;
        for (size_t i = 0; i < sums.size(); i++) yn[i] = (float) sums[i];
    }
}

void simil_emu_conv_backward_data(const simil_emu_conv& s, const float* dy, const float* w, float* dx) {
    int r_count = s.in_channels * s.kernel_h * s.kernel_w, positions = s.out_height * s.out_width;
    // dcols[p][r] = Σ_o dy[o][p] · w[o][r], then each window value goes back where im2col took it from.
    std::vector<float> dy_t((size_t) positions * s.out_channels), w_t((size_t) r_count * s.out_channels);
    for (int o = 0; o < s.out_channels; o++) {
        for (int r = 0; r < r_count; r++) w_t[(size_t) r * s.out_channels + o] = w[(size_t) o * r_count + r];
    }
    std::vector<double> dcols((size_t) positions * r_count), sum((size_t) s.in_channels * s.height * s.width);
    for (int n = 0; n < s.batch; n++) {
        const float* dyn = dy + (size_t) n * s.out_channels * positions;
        for (int o = 0; o < s.out_channels; o++) {
            for (int p = 0; p < positions; p++) dy_t[(size_t) p * s.out_channels + o] = dyn[(size_t) o * positions + p];
        }
        products(dy_t.data(), w_t.data(), positions, r_count, s.out_channels, dcols.data());
        std::fill(sum.begin(), sum.end(), 0.0);
        for (int oy = 0; oy < s.out_height; oy++) {
            for (int ox = 0; ox < s.out_width; ox++) {
                const double* dcol = &dcols[(size_t) (oy * s.out_width + ox) * r_count];
                for (int c = 0, r = 0; c < s.in_channels; c++) {
                    for (int ky = 0; ky < s.kernel_h; ky++) {
                        int iy = oy * s.stride - s.padding + ky;
                        for (int kx = 0; kx < s.kernel_w; kx++, r++) {
                            int ix = ox * s.stride - s.padding + kx;
                            if (iy >= 0 && iy < s.height && ix >= 0 && ix < s.width) {
                                sum[((size_t) c * s.height + iy) * s.width + ix] += dcol[r];
                            }
                        }
                    }
                }
            }
        }
        float* dxn = dx + (size_t) n * sum.size();
        for (size_t i = 0; i < sum.size(); i++) dxn[i] = (float) sum[i];
    }
}

void simil_emu_conv_backward_filter(const simil_emu_conv& s, const float* x, const float* dy, float beta, float* dw) {
    int r_count = s.in_channels * s.kernel_h * s.kernel_w, positions = s.out_height * s.out_width;
    size_t summed = (size_t) s.batch * positions;
    // dw[o][r] = Σ over images and positions of dy[o][(n, p)] · x's window value [r][(n, p)].
    std::vector<float> dy_all((size_t) s.out_channels * summed), cols_t((size_t) r_count * summed), cols((size_t) positions * r_count);
    for (int n = 0; n < s.batch; n++) {
        im2col(s, x, n, cols.data());
        for (int p = 0; p < positions; p++) {
            for (int r = 0; r < r_count; r++) cols_t[(size_t) r * summed + (size_t) n * positions + p] = cols[(size_t) p * r_count + r];
        }
        for (int o = 0; o < s.out_channels; o++) {
            const float* from = dy + ((size_t) n * s.out_channels + o) * positions;
            std::copy(from, from + positions, &dy_all[(size_t) o * summed + (size_t) n * positions]);
        }
    }
    std::vector<double> sums((size_t) s.out_channels * r_count);
    products(dy_all.data(), cols_t.data(), s.out_channels, r_count, (int) summed, sums.data());
    for (size_t i = 0; i < sums.size(); i++) dw[i] = beta == 0 ? (float) sums[i] : (float) (sums[i] + (double) beta * dw[i]);
}
