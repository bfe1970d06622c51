package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.requireSameSize;

import simil.tensor.OptimOps;
import simil.tensor.Tensor;

/** torch.optim.Adam / AdamW (amsgrad off), elementwise in double, written back as float. */
final class CpuOptimOps implements OptimOps {
    private static final int GRAIN = 1 << 14;

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                         float weightDecay, boolean decoupled, int step) {
        requireSameSize(param, grad);
        requireSameSize(param, m);
        requireSameSize(param, v);
        if (step < 1) throw new IllegalArgumentException("Adam steps count from 1, got " + step);
        float[] p = data(param), g = data(grad), md = data(m), vd = data(v);
        int po = param.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        double b1 = beta1, b2 = beta2;
        double stepSize = lr / (1 - Math.pow(b1, step));
        double sqrtBias2 = Math.sqrt(1 - Math.pow(b2, step));
        double decay = decoupled ? 1 - (double) lr * weightDecay : 1;
        double l2 = decoupled ? 0 : weightDecay;
        Parallel.forRange(param.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                double w = p[po + i];
                double gi = g[go + i] + l2 * w;
                double mi = b1 * md[mo + i] + (1 - b1) * gi;
                double vi = b2 * vd[vo + i] + (1 - b2) * gi * gi;
                md[mo + i] = (float) mi;
                vd[vo + i] = (float) vi;
                p[po + i] = (float) (w * decay - stepSize * mi / (Math.sqrt(vi) / sqrtBias2 + eps));
            }
        });
    }
}
