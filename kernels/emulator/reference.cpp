// What cuBLAS and cuDNN compute, as plain loops with double accumulation: the emulator's stand-ins for them, and a
// reference (the tests are small). Semantics as the libraries define them, down to beta == 0 ignoring the old
// contents of the output, so that a caller's mistake shows here as it would on a GPU.
#include "emulator.h"

#include <vector>

void simil_emu_gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                    long long stride_a, const float* b, int ldb, long long stride_b, float beta, float* c, int ldc,
                    long long stride_c, int batch) {
    // op(A) row by row and op(B) column by column, each contiguous in the summed index.
    std::vector<float> rows((size_t) m * k), cols((size_t) n * k);
    for (int p = 0; p < batch; p++) {
        const float* ap = a + p * stride_a;
        const float* bp = b + p * stride_b;
        float* cp = c + p * stride_c;
        bool product = alpha != 0 && k > 0;  // cuBLAS reads neither A nor B otherwise
        if (product) {
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) rows[(size_t) i * k + l] = trans_a ? ap[l + (long long) i * lda] : ap[i + (long long) l * lda];
            }
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < k; l++) cols[(size_t) j * k + l] = trans_b ? bp[j + (long long) l * ldb] : bp[l + (long long) j * ldb];
            }
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double sum = 0;
                if (product) {
                    const float* r = &rows[(size_t) i * k];
                    const float* q = &cols[(size_t) j * k];
                    for (int l = 0; l < k; l++) sum += (double) r[l] * q[l];
                }
                float& out = cp[i + (long long) j * ldc];
                out = beta == 0 ? (float) (alpha * sum) : (float) (alpha * sum + (double) beta * out);
            }
        }
    }
}

void simil_emu_conv_forward(const simil_emu_conv& s, const float* x, const float* w, float* y) {
    for (int n = 0; n < s.batch; n++) {
        for (int o = 0; o < s.out_channels; o++) {
            for (int oy = 0; oy < s.out_height; oy++) {
                for (int ox = 0; ox < s.out_width; ox++) {
                    double sum = 0;
                    for (int c = 0; c < s.in_channels; c++) {
                        for (int ky = 0; ky < s.kernel_h; ky++) {
                            int iy = oy * s.stride - s.padding + ky;
                            if (iy < 0 || iy >= s.height) continue;
                            for (int kx = 0; kx < s.kernel_w; kx++) {
                                int ix = ox * s.stride - s.padding + kx;
                                if (ix < 0 || ix >= s.width) continue;
                                sum += (double) x[(((long long) n * s.in_channels + c) * s.height + iy) * s.width + ix]
                                        * w[(((long long) o * s.in_channels + c) * s.kernel_h + ky) * s.kernel_w + kx];
                            }
                        }
                    }
                    y[(((long long) n * s.out_channels + o) * s.out_height + oy) * s.out_width + ox] = (float) sum;
                }
            }
        }
    }
}

void simil_emu_conv_backward_data(const simil_emu_conv& s, const float* dy, const float* w, float* dx) {
    std::vector<double> sum((size_t) s.batch * s.in_channels * s.height * s.width, 0.0);
    for (int n = 0; n < s.batch; n++) {
        for (int o = 0; o < s.out_channels; o++) {
            for (int oy = 0; oy < s.out_height; oy++) {
                for (int ox = 0; ox < s.out_width; ox++) {
                    double g = dy[(((long long) n * s.out_channels + o) * s.out_height + oy) * s.out_width + ox];
                    for (int c = 0; c < s.in_channels; c++) {
                        for (int ky = 0; ky < s.kernel_h; ky++) {
                            int iy = oy * s.stride - s.padding + ky;
                            if (iy < 0 || iy >= s.height) continue;
                            for (int kx = 0; kx < s.kernel_w; kx++) {
                                int ix = ox * s.stride - s.padding + kx;
                                if (ix < 0 || ix >= s.width) continue;
                                sum[(((size_t) n * s.in_channels + c) * s.height + iy) * s.width + ix]
                                        += g * w[(((long long) o * s.in_channels + c) * s.kernel_h + ky) * s.kernel_w + kx];
                            }
                        }
                    }
                }
            }
        }
    }
    for (size_t i = 0; i < sum.size(); i++) dx[i] = (float) sum[i];
}

void simil_emu_conv_backward_filter(const simil_emu_conv& s, const float* x, const float* dy, float beta, float* dw) {
    for (int o = 0; o < s.out_channels; o++) {
        for (int c = 0; c < s.in_channels; c++) {
            for (int ky = 0; ky < s.kernel_h; ky++) {
                for (int kx = 0; kx < s.kernel_w; kx++) {
                    double sum = 0;
                    for (int n = 0; n < s.batch; n++) {
                        for (int oy = 0; oy < s.out_height; oy++) {
                            int iy = oy * s.stride - s.padding + ky;
                            if (iy < 0 || iy >= s.height) continue;
                            for (int ox = 0; ox < s.out_width; ox++) {
                                int ix = ox * s.stride - s.padding + kx;
                                if (ix < 0 || ix >= s.width) continue;
                                sum += (double) x[(((long long) n * s.in_channels + c) * s.height + iy) * s.width + ix]
                                        * dy[(((long long) n * s.out_channels + o) * s.out_height + oy) * s.out_width + ox];
                            }
                        }
                    }
                    float& out = dw[(((long long) o * s.in_channels + c) * s.kernel_h + ky) * s.kernel_w + kx];
                    out = beta == 0 ? (float) sum : (float) (sum + (double) beta * out);
                }
            }
        }
    }
}
