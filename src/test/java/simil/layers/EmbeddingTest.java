package simil.layers;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class EmbeddingTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorchWithRepeatedIds() {
        Golden g = Golden.load("embedding");
        Embedding embedding = new Embedding(be, "tokens", 6, 4);
        g.copyInto("table", embedding.table().value());
        g.assertMatches("y", embedding.forward(g.tensor(be, "ids"), true));
        assertNull(embedding.backward(g.tensor(be, "dy")));
        g.assertMatches("dtable", embedding.table().grad());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Embedding embedding = new Embedding(be, "tokens", 5, 3).init(1);
        Tensor ids = be.fromIntArray(new int[] {4, 0, 4, 2, 1, 4}, 2, 3);
        Tensor unused = be.zeros(1);
        GradCheck.check(() -> embedding.forward(ids, true), embedding::backward, unused, List.of(embedding.table()), 1e-2f, 1e-3);
    }

    @Test
    void rejectsAnIdOutsideTheTable() {
        Embedding embedding = new Embedding(be, "tokens", 5, 3);
        // The CPU throws in the op; a GPU, which does not read its ids back, when the result is read.
        assertThrows(IndexOutOfBoundsException.class, () -> be.toArray(embedding.forward(be.fromIntArray(new int[] {5}, 1), true)));
    }
}
