package simil.backend.cuda;

import static simil.backend.cuda.CudaBackend.requireSameSize;

import simil.tensor.ActivationOps;
import simil.tensor.Tensor;

/**
 * ReLU, the exact GELU and softmax by our kernels (kernels/activations.cu), as {@code CpuActivationOps}: GELU with
 * CUDA's erff where the CPU interpolates erf from a table (both to float resolution), softmax one block per row with
 * its sums in double.
 */
final class CudaActivationOps implements ActivationOps {
    private static final Kernel RELU_FORWARD = Kernel.named("activations_relu_forward");
    private static final Kernel RELU_BACKWARD = Kernel.named("activations_relu_backward");
    private static final Kernel GELU_FORWARD = Kernel.named("activations_gelu_forward");
    private static final Kernel GELU_BACKWARD = Kernel.named("activations_gelu_backward");
    private static final Kernel SOFTMAX_FORWARD = Kernel.named("activations_softmax_forward");
    private static final Kernel SOFTMAX_BACKWARD = Kernel.named("activations_softmax_backward");

    private final CudaBackend backend;

    CudaActivationOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void reluForward(Tensor x, Tensor y) {
        pointwise(RELU_FORWARD, x, y);
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        pointwise(RELU_BACKWARD, y, dy, dx);
    }

    @Override
    public void geluForward(Tensor x, Tensor y) {
        pointwise(GELU_FORWARD, x, y);
    }

    @Override
    public void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        pointwise(GELU_BACKWARD, x, dy, dx);
    }

    private void pointwise(Kernel kernel, Tensor x, Tensor y) {
        requireSameSize(x, y);
        int n = x.size();
        if (n == 0) return;
        backend.launch(kernel, Launch.overElements(n), backend.args().pointer(backend.floats(x)).pointer(backend.floats(y)).i32(n));
    }

    private void pointwise(Kernel kernel, Tensor a, Tensor b, Tensor out) {
        requireSameSize(a, b);
        requireSameSize(a, out);
        int n = a.size();
        if (n == 0) return;
        backend.launch(kernel, Launch.overElements(n), backend.args()
                .pointer(backend.floats(a)).pointer(backend.floats(b)).pointer(backend.floats(out)).i32(n));
    }

    @Override
    public void softmaxForward(Tensor x, Tensor y) {
        requireSameSize(x, y);
        int cols = x.dim(-1), rows = cols == 0 ? 0 : x.size() / cols;
        if (rows == 0) return;
        backend.launch(SOFTMAX_FORWARD, Launch.perRowOf(rows, cols),
                backend.args().pointer(backend.floats(x)).pointer(backend.floats(y)).i32(cols));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        int cols = y.dim(-1), rows = cols == 0 ? 0 : y.size() / cols;
        if (rows == 0) return;
        backend.launch(SOFTMAX_BACKWARD, Launch.perRowOf(rows, cols), backend.args()
                .pointer(backend.floats(y)).pointer(backend.floats(dy)).pointer(backend.floats(dx)).i32(cols));
    }
}
