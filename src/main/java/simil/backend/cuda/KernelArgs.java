package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A kernel's arguments in order, one 8-byte slot each in native byte order: device pointers and 64-bit integers
 * fill the slot, 32-bit ints and floats its first four bytes. cuLaunchKernel gets a pointer to each slot; the
 * emulator's trampolines read the slots in the kernel's parameter order. The backend keeps one and {@link #clear}s
 * it per launch (a launch copies its arguments).
 */
public final class KernelArgs {
    /** More than any kernel of ours takes. */
    public static final int MAX_ARGS = 32;

    private final ByteBuffer slots = ByteBuffer.allocateDirect(8 * MAX_ARGS).order(ByteOrder.nativeOrder());
    private int count;

    /** Empties the list for the next launch. */
    public KernelArgs clear() {
        count = 0;
        return this;
    }

    /** A device address ({@code T*} in the kernel). */
    public KernelArgs pointer(long address) {
        slots.putLong(next(), address);
        return this;
    }

    /** An {@code int}. */
    public KernelArgs i32(int value) {
        slots.putLong(next(), 0L);
        slots.putInt(8 * (count - 1), value);
        return this;
    }

    /** A {@code long long}. */
    public KernelArgs i64(long value) {
        slots.putLong(next(), value);
        return this;
    }

    /** A {@code float}. */
    public KernelArgs f32(float value) {
        slots.putLong(next(), 0L);
        slots.putFloat(8 * (count - 1), value);
        return this;
    }

    /** How many arguments it holds. */
    public int count() { return count; }

    /** The slots, {@link #count} × 8 bytes from index 0 (direct, native order). */
    public ByteBuffer slots() { return slots; }

    private int next() {
        if (count == MAX_ARGS) throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        return 8 * count++;
    }
}
