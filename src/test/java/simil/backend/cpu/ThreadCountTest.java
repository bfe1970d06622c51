package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIMIL_THREADS, else OPENBLAS_NUM_THREADS, else every core; a value that is not a count of 1 or more is refused, not clamped. */
class ThreadCountTest {
    @Test
    void theEnvironmentSetsTheCount() {
        assertEquals(3, NativeBlas.threadsFromEnvironment(Map.of("SIMIL_THREADS", "3", "OPENBLAS_NUM_THREADS", "5")));
        assertEquals(5, NativeBlas.threadsFromEnvironment(Map.of("OPENBLAS_NUM_THREADS", " 5 ")));
        assertEquals(Runtime.getRuntime().availableProcessors(), NativeBlas.threadsFromEnvironment(Map.of()));
    }

    @Test
    void aCountBelowOneOrNotACountIsRefused() {
        for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeBlas.threadsFromEnvironment(Map.of("OPENBLAS_NUM_THREADS", bad)));
            assertEquals("OPENBLAS_NUM_THREADS=" + bad + ": must be a number of threads, 1 or more", e.getMessage());
        }
    }
}
