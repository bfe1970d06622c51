package simil.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Parameters packed into one block each for values, gradients and the decay mask, and the runs an optimizer sees. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class ParameterSetTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void packingKeepsValuesAndMakesParametersViewsOfTheBlocks() {
        Parameter w = new Parameter(be, "w", true, 2, 3), b = new Parameter(be, "b", false, 2);
        be.write(w.value(), new float[] {1, 2, 3, 4, 5, 6});
        be.write(b.value(), new float[] {7, 8});
        be.write(b.grad(), new float[] {0.5f, -0.5f});
        Tensor oldW = w.value();
        ParameterSet.pack(List.of(w, b));
        assertArrayEquals(new int[] {2, 3}, w.shape());
        ParameterRange all = ParameterSet.ranges(List.of(w, b)).get(0);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, be.toArray(all.values()));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0.5f, -0.5f}, be.toArray(all.grads()), "gradients move too");
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0}, be.toArray(all.decayMask()));
        be.tensors().fill(all.values(), 9f);
        assertArrayEquals(new float[] {9, 9}, be.toArray(b.value()), "a parameter is a view of the block");
        assertThrows(IllegalStateException.class, () -> be.toArray(oldW), "its own storage went back");
        all.zeroGrad();
        assertArrayEquals(new float[2], be.toArray(b.grad()));
        assertThrows(IllegalArgumentException.class, () -> ParameterSet.pack(List.of(w)));
    }

    @Test
    void aRunOfASetIsOneRangeAndLooseParametersArePackedTogether() {
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < 4; i++) ps.add(new Parameter(be, "p" + i, i % 2 == 0, 3));
        ParameterSet.pack(ps);
        assertEquals(1, ParameterSet.ranges(ps.subList(1, 3)).size());
        assertEquals(ps.subList(1, 3), ParameterSet.ranges(ps.subList(1, 3)).get(0).parameters());
        assertEquals(2, ParameterSet.ranges(List.of(ps.get(0), ps.get(2))).size(), "a gap splits the run");
        Parameter head = new Parameter(be, "head", true, 5), bias = new Parameter(be, "bias", false, 5);
        List<ParameterRange> ranges = ParameterSet.ranges(List.of(ps.get(0), ps.get(1), head, bias));
        assertEquals(2, ranges.size());
        assertEquals(10, ranges.get(1).size(), "the two loose parameters form one new set");
        assertThrows(IllegalArgumentException.class, () -> ParameterSet.ranges(List.of(head, head)));
        assertEquals(0, ParameterSet.ranges(List.of()).size());
    }

    @Test
    void modelsAreOneBlockAndTheirPartsRunsOfIt() {
        MatchNet matchNet = new MatchNet(be, MatchNetConfig.reference(3));
        assertEquals(1, ParameterSet.ranges(matchNet.parameters()).size());
        assertEquals(1, ParameterSet.ranges(matchNet.metric().parameters()).size());
        assertEquals(1, ParameterSet.ranges(matchNet.embeddingParameters()).size());
        Beit beit = new Beit(be, BeitConfig.preset("tiny", 3));
        List<ParameterRange> ranges = ParameterSet.ranges(beit.parameters());
        assertEquals(1, ranges.size());
        assertSame(beit.parameters().get(0).value().backend(), ranges.get(0).values().backend());
        assertEquals(beit.parameters().stream().mapToInt(Parameter::size).sum(), ranges.get(0).size());
    }
}
