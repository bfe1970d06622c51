package simil.backend.cuda;

import static simil.backend.cuda.CudaBackend.requireSameSize;

import simil.tensor.OptimOps;
import simil.tensor.Tensor;

/** Adam and AdamW as one fused kernel over a parameter block (kernels/adam.cu), bit for bit as {@code CpuOptimOps}. */
final class CudaOptimOps implements OptimOps {
    private static final Kernel ADAM_STEP = Kernel.named("adam_step");

    private final CudaBackend backend;

    CudaOptimOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor decayMask, float lr, float beta1, float beta2,
                         float eps, float weightDecay, boolean decoupled, int step) {
        requireSameSize(param, grad);
        requireSameSize(param, m);
        requireSameSize(param, v);
        requireSameSize(param, decayMask);
        if (step < 1) throw new IllegalArgumentException("Adam steps count from 1, got " + step);
        int n = param.size();
        if (n == 0) return;
        // The bias corrections in double, rounded once, as the CPU computes them.
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float sqrtBias2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
        backend.launch(ADAM_STEP, Launch.overElements(n), backend.args().pointer(backend.floats(param))
                .pointer(backend.floats(grad)).pointer(backend.floats(m)).pointer(backend.floats(v))
                .pointer(backend.floats(decayMask)).i32(n).f32(lr).f32(beta1).f32(beta2).f32(eps).f32(weightDecay)
                .i32(decoupled ? 1 : 0).f32(stepSize).f32(sqrtBias2));
    }
}
