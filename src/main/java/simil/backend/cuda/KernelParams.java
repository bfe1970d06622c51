package simil.backend.cuda;

import java.nio.ByteBuffer;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * cuLaunchKernel's {@code void** kernelParams} for a {@link KernelArgs}: an array of the addresses of its 8-byte
 * slots, one per argument (the driver reads each argument's size from the kernel, so a slot's first 4 bytes serve an
 * int or a float). The array is written once per slots buffer; a launch only refills the slots.
 */
final class KernelParams {
    private final PointerPointer<Pointer> pointers = new PointerPointer<>(KernelArgs.MAX_ARGS);
    private ByteBuffer aimedAt;

    /** The parameter array pointing into {@code args}' slots. */
    PointerPointer<Pointer> of(KernelArgs args) {
        ByteBuffer slots = args.slots();
        if (slots != aimedAt) {
            long base = Address.of(slots);
            LongPointer addresses = new LongPointer(pointers);
            for (int i = 0; i < KernelArgs.MAX_ARGS; i++) addresses.put(i, base + 8L * i);
            aimedAt = slots;
        }
        return pointers;
    }
}
