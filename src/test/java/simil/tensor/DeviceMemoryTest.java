package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Device memory as a GPU backend will hold it: released once, its address unusable afterwards. */
class DeviceMemoryTest {
    @Test
    void releaseHandsTheAddressBackOnce() {
        DeviceMemory block = new DeviceMemory(1, 0x7f00_0000_1000L, 4096);
        assertEquals(1, block.device());
        assertEquals(4096, block.bytes());
        assertFalse(block.released());
        assertEquals(0x7f00_0000_1000L, block.release());
        assertTrue(block.released());
        assertEquals(0, block.bytes());
        assertEquals(-1, block.release());
        assertThrows(IllegalStateException.class, block::address);
    }
}
