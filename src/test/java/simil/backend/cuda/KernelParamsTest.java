package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

/**
 * The memory cuLaunchKernel and the copies read, checked through JavaCPP without a GPU: the parameter array points
 * at each argument's slot, an address re-aims a pointer, pinned memory wraps as a native-order buffer.
 */
class KernelParamsTest {
    @Test
    void eachParameterPointsAtItsArgumentsValue() {
        KernelArgs args = new KernelArgs().pointer(0xDEAD_BEEF_00L).i32(-7).f32(2.5f).i64(1L << 40);
        KernelParams params = new KernelParams();
        PointerPointer<Pointer> array = params.of(args);
        LongPointer addresses = new LongPointer(array);
        long base = Address.of(args.slots());
        for (int i = 0; i < KernelArgs.MAX_ARGS; i++) assertEquals(base + 8L * i, addresses.get(i), "parameter " + i);
        assertEquals(0xDEAD_BEEF_00L, new LongPointer(new Address().at(addresses.get(0))).get(0));
        assertEquals(-7, new IntPointer(new Address().at(addresses.get(1))).get(0));
        assertEquals(2.5f, new FloatPointer(new Address().at(addresses.get(2))).get(0));
        assertEquals(1L << 40, new LongPointer(new Address().at(addresses.get(3))).get(0));

        args.clear().i32(42);
        assertSame(array, params.of(args), "the same slots: the array is not rewritten");
        assertEquals(42, new IntPointer(new Address().at(new LongPointer(params.of(args)).get(0))).get(0));
        KernelArgs other = new KernelArgs().i32(9);
        assertEquals(Address.of(other.slots()), new LongPointer(params.of(other)).get(0), "re-aimed at other slots");
    }

    @Test
    void anAddressIsElementZeroWhateverThePosition() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        buffer.putInt(12, 1234);
        long address = Address.of(buffer);
        buffer.position(20);
        assertEquals(address, Address.of(buffer));
        assertEquals(1234, new IntPointer(new Address().at(address + 12)).get(0));
        assertThrows(IllegalArgumentException.class, () -> Address.of(ByteBuffer.allocate(8)));
    }

    @Test
    void nativeMemoryWrapsAsANativeOrderBuffer() {
        Pointer memory = Pointer.malloc(256);
        try {
            ByteBuffer buffer = Address.buffer(memory.address(), 256);
            assertEquals(256, buffer.capacity());
            assertEquals(ByteOrder.nativeOrder(), buffer.order());
            assertEquals(memory.address(), Address.of(buffer));
            buffer.putFloat(40, 0.75f);
            assertEquals(0.75f, new FloatPointer(new Address().at(memory.address() + 40)).get(0));
        } finally {
            Pointer.free(memory);
        }
    }
}
