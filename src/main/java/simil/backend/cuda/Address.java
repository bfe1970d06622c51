package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.bytedeco.javacpp.Pointer;

/**
 * An address we hold as a {@code long} (device memory, pinned host memory), as the JavaCPP {@link Pointer} its calls
 * take: only a subclass may set a pointer's address. {@link CudaRuntimeGpu} keeps one per argument position and
 * re-aims it call after call, so that a copy or a product allocates no Java object.
 */
final class Address extends Pointer {
    /** This pointer, aimed at {@code address}. */
    Address at(long address) {
        this.address = address;
        return this;
    }

    /** The address of {@code buffer}'s element 0 (whatever its position); {@code buffer} must be direct. */
    static long of(ByteBuffer buffer) {
        if (!buffer.isDirect()) throw new IllegalArgumentException("not a direct buffer: " + buffer);
        return getDirectBufferAddress(buffer);
    }

    /** {@code bytes} of memory at {@code address} as a direct buffer in native byte order. */
    static ByteBuffer buffer(long address, long bytes) {
        if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException(bytes + " bytes in one buffer");
        // A plain Pointer: a subclass's elements are not bytes to asByteBuffer (an Address's are 8 bytes).
        Pointer plain = new Pointer(new Address().at(address));
        return plain.capacity(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }
}
