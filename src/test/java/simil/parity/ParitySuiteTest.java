package simil.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import simil.backend.Backends;
import simil.backend.cpu.CpuBackend;
import simil.tensor.Backend;
import simil.testing.AllBackends;

/**
 * The parity suite on every backend present besides the CPU: the emulated GPU (our kernels compiled for the host) on
 * any machine, a real GPU where one is installed. One test per op, named after it, then the table of the run.
 */
class ParitySuiteTest {
    /** Every backend of {@link AllBackends} but the CPU. */
    static List<Backend> others() {
        return AllBackends.everyBackend().filter(b -> !(b instanceof CpuBackend)).toList();
    }

    @TestFactory
    Stream<DynamicNode> everyOpMatchesTheCpu() {
        List<Backend> others = others();
        if (others.isEmpty()) return Stream.of(DynamicTest.dynamicTest("no backend besides the CPU", () -> Assumptions.abort(noGpu())));
        Backend reference = ParitySuite.reference();
        return others.stream().map(be -> {
            List<CaseResult> results = new ArrayList<>();
            Stream<DynamicNode> ops = ParitySuite.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                CaseResult r = c.check(reference, be);
                results.add(r);
                assumeTrue(r.status() != CaseResult.Status.SKIPPED, r.detail());
                assertTrue(!r.failed(), r.op() + " on " + be.name() + ": " + r.detail());
            }));
            Stream<DynamicNode> table = Stream.of(DynamicTest.dynamicTest("table", () -> {
                System.out.print(be.name() + " against " + reference.name() + ":\n" + ParityTable.format(results) + ParityTable.summary(results) + "\n");
            }));
            return DynamicContainer.dynamicContainer(be.name(), Stream.concat(ops, table));
        });
    }

    /** Where no GPU is usable, the registry's one line says why. */
    @Test
    void aRealGpuIsCheckedWhereOneIsInstalled() {
        assumeTrue(Backends.available().stream().anyMatch(name -> name.startsWith("cuda")), ParitySuiteTest::noGpu);
    }

    static String noGpu() {
        try {
            return "a GPU opens (" + Backends.open("cuda").name() + ") but the registry does not list it";
        } catch (IllegalArgumentException e) {
            return "no GPU here: " + e.getMessage();
        }
    }
}
