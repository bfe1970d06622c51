package simil.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import simil.backend.cpu.CpuBackend;
import simil.backend.cpu.Isa;
import simil.tensor.Backend;

/**
 * The parity suite's own checks, on the CPU alone: every case passes between the CPU in its best instruction set and
 * the CPU in each other one it runs (other native kernels, other roundings, the same contract: on an AVX-512 machine
 * the AVX2 copy's int8 pairs have 127 levels to VNNI's 255), and every output of every case is compared
 * for real: one element moved just past its tolerance (an integer by one) turns the case red, naming that output.
 */
class ParityHarnessTest {
    private static final Backend REFERENCE = ParitySuite.reference();

    @TestFactory
    Stream<DynamicNode> everyCasePassesBetweenInstructionSetsOfTheCpu() {
        List<Isa> others = Isa.supported().stream().filter(isa -> isa != Isa.best()).toList();
        if (others.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("one instruction set", () -> Assumptions.abort("this CPU runs only " + Isa.best().flag())));
        }
        return others.stream().map(isa -> {
            Backend other = CpuBackend.forIsa(isa);
            List<CaseResult> results = new ArrayList<>();
            Stream<DynamicNode> cases = ParitySuite.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                CaseResult r = c.check(REFERENCE, other);
                results.add(r);
                assumeTrue(r.status() != CaseResult.Status.SKIPPED, r.detail());
                assertTrue(!r.failed(), r.op() + ": " + r.detail());
            }));
            Stream<DynamicNode> table = Stream.of(DynamicTest.dynamicTest("table", () -> System.out.print(other.name() + " against "
                    + REFERENCE.name() + ":\n" + ParityTable.format(results) + ParityTable.summary(results) + "\n")));
            return DynamicContainer.dynamicContainer(isa.flag(), Stream.concat(cases, table));
        });
    }

    @TestFactory
    Stream<DynamicTest> everyOutputOfEveryCaseCanFail() {
        return ParitySuite.cases().stream()
                .filter(c -> c.skip().apply(REFERENCE) == null)
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Outputs expected = c.runOn(REFERENCE), got = c.runOn(REFERENCE);
                    assertEquals(CaseResult.Status.PASS, CaseResult.compare(c.name(), c.tolerance(), expected, got, 0).status());
                    List<String> undetected = new ArrayList<>();
                    for (Map.Entry<String, Outputs.Value> e : got.values().entrySet()) {
                        Runnable restore = perturb(e.getValue());
                        CaseResult r = CaseResult.compare(c.name(), c.tolerance(), expected, got, 0);
                        restore.run();
                        if (!r.failed() || !r.detail().startsWith(e.getKey() + ":")) undetected.add(e.getKey() + " (" + r.detail() + ")");
                    }
                    assertEquals(List.of(), undetected, "outputs whose change went unnoticed");
                }));
    }

    /** Moves one element of {@code value} just out of tolerance; returns what puts it back. */
    private static Runnable perturb(Outputs.Value value) {
        if (value instanceof Outputs.Floats f) {
            float[] v = f.values();
            int i = finiteNear(v, v.length / 2);
            float old = v[i];
            Tolerance t = f.tolerance();
            v[i] = (float) (old + t.abs() + t.rel() * Math.abs(old));
            while (t.accepts(old, v[i])) v[i] = Math.nextUp(v[i]);
            return () -> v[i] = old;
        }
        if (value instanceof Outputs.Ints n) {
            int[] v = n.values();
            int i = v.length / 2;
            v[i]++;
            return () -> v[i]--;
        }
        long[] v = ((Outputs.Longs) value).values();
        int i = v.length / 2;
        v[i]++;
        return () -> v[i]--;
    }

    /** The finite element nearest {@code from} (guard elements are NaN). */
    private static int finiteNear(float[] v, int from) {
        for (int d = 0; d < v.length; d++) {
            if (from + d < v.length && Float.isFinite(v[from + d])) return from + d;
            if (from - d >= 0 && Float.isFinite(v[from - d])) return from - d;
        }
        throw new AssertionError("no finite element to move");
    }
}
