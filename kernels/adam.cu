// OptimOps.adamStep on the GPU (simil.backend.cuda.CudaOptimOps): one fused Adam / AdamW step over a whole block
// of parameters with its weight-decay mask, bit for bit as simil.backend.cpu.CpuOptimOps computes it in float. The
// explicitly rounded intrinsics (__fmul_rn, __fadd_rn, __fdiv_rn, __fsqrt_rn) keep nvcc from fusing a multiply and
// an add into one FMA, which rounds once where Java rounds twice.
#include "simil_cuda.h"
#include "simil_block.h"

// Per element i < n, as torch.optim.Adam / AdamW (amsgrad off):
//   Adam:  g = grad + (wd·mask)·w;  AdamW: w·(1 − lr·(wd·mask)) in place of w in the update;
//   m = β1·m + (1 − β1)·g,  v = β2·v + ((1 − β2)·g)·g,  w −= (stepSize·m) / (√v / sqrtBias2 + eps)
// with stepSize = lr / (1 − β1^t) and sqrtBias2 = √(1 − β2^t) from the host (in double, rounded to float, as the
// CPU). Launch.overElements(n): a grid-stride loop of 256 threads per block.
extern "C" __global__ void adam_step(float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ m,
                                     float* __restrict__ v, const float* __restrict__ decayMask, int n, float lr,
                                     float beta1, float beta2, float eps, float weightDecay, int decoupled,
                                     float stepSize, float sqrtBias2) {
    float oneMinusB1 = 1.0f - beta1, oneMinusB2 = 1.0f - beta2;
    SIMIL_GRID_STRIDE(i, n) {
        float w = param[i];
        float decay = __fmul_rn(weightDecay, decayMask[i]);
        float g = decoupled ? grad[i] : __fadd_rn(grad[i], __fmul_rn(decay, w));
        float mi = __fadd_rn(__fmul_rn(beta1, m[i]), __fmul_rn(oneMinusB1, g));
        float vi = __fadd_rn(__fmul_rn(beta2, v[i]), __fmul_rn(__fmul_rn(oneMinusB2, g), g));
        m[i] = mi;
        v[i] = vi;
        float kept = decoupled ? __fmul_rn(w, __fadd_rn(1.0f, -__fmul_rn(lr, decay))) : w;
        float denominator = __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), sqrtBias2), eps);
        param[i] = __fadd_rn(kept, -__fdiv_rn(__fmul_rn(stepSize, mi), denominator));
    }
}
