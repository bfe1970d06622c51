package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A kernel's arguments in order, one 8-byte slot each in native byte order: device pointers and 64-bit integers
 * fill the slot, 32-bit ints and floats its first four bytes. cuLaunchKernel gets a pointer to each slot; the
 * emulator's trampolines read the slots in the kernel's parameter order, and it checks each slot's {@link #kinds kind}
 * against the parameter's type. The backend keeps one and {@link #clear}s it per launch (a launch copies its arguments).
 */
public final class KernelArgs {
    /** More than any kernel of ours takes. */
    public static final int MAX_ARGS = 32;

    private final ByteBuffer slots = ByteBuffer.allocateDirect(8 * MAX_ARGS).order(ByteOrder.nativeOrder());
    private final char[] kinds = new char[MAX_ARGS];
    private int count;

    /** Empties the list for the next launch. */
    public KernelArgs clear() {
        count = 0;
        return this;
    }

    /** A device address ({@code T*} in the kernel). */
    public KernelArgs pointer(long address) {
        slots.putLong(next('p'), address);
        return this;
    }

    /** An {@code int}. */
    public KernelArgs i32(int value) {
        slots.putLong(next('i'), 0L);
        slots.putInt(8 * (count - 1), value);
        return this;
    }

    /** A {@code long long}. */
    public KernelArgs i64(long value) {
        slots.putLong(next('l'), value);
        return this;
    }

    /** A {@code float}. */
    public KernelArgs f32(float value) {
        slots.putLong(next('f'), 0L);
        slots.putFloat(8 * (count - 1), value);
        return this;
    }

    /** How many arguments it holds. */
    public int count() { return count; }

    /** The slots, {@link #count} × 8 bytes from index 0 (direct, native order). */
    public ByteBuffer slots() { return slots; }

    /** One letter per argument, in order: {@code p} pointer, {@code i} int, {@code l} long long, {@code f} float. */
    public String kinds() { return new String(kinds, 0, count); }

    private int next(char kind) {
        if (count == MAX_ARGS) throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        kinds[count] = kind;
        return 8 * count++;
    }
}
