package simil.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simil.parity.CaseResult.Status.FAIL;
import static simil.parity.CaseResult.Status.PASS;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import simil.backend.cpu.CpuBackend;
import simil.backend.cpu.Isa;
import simil.tensor.Backend;

/**
 * MatchNet's training on every backend besides the CPU tracks the CPU's loss, over {@code simil.parity.steps} steps of
 * {@code simil.parity.pairs} pairs (a few steps of a few pairs unless set: the emulator runs cuDNN's convolutions as
 * reference loops on one core); the comparison itself fails on a first step or a window out of tolerance, and passes
 * between two of the CPU's instruction sets.
 */
class MatchNetParityTest {
    private static final MatchNetParity.Settings SHORT = MatchNetParity.Settings.of(
            Integer.getInteger("simil.parity.steps", 4), Integer.getInteger("simil.parity.pairs", 4));

    @TestFactory
    Stream<DynamicNode> trainingOnEveryOtherBackendTracksTheCpu() {
        List<Backend> others = ParitySuiteTest.others();
        if (others.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("no backend besides the CPU", () -> Assumptions.abort(ParitySuiteTest.noGpu())));
        }
        return others.stream().map(be -> DynamicTest.dynamicTest(be.name(), () -> {
            MatchNetParity.Comparison c = MatchNetParity.compare(ParitySuite.reference(), be, SHORT);
            System.out.println(c.describe());
            for (CaseResult r : c.results()) assertTrue(!r.failed(), r.op() + " on " + be.name() + ": " + r.detail());
        }));
    }

    @Test
    void trainingOnAnotherInstructionSetOfTheCpuTracksTheBest() {
        Isa other = Isa.supported().get(0);
        Assumptions.assumeTrue(other != Isa.best(), "this CPU runs only " + Isa.best().flag());
        MatchNetParity.Comparison c = MatchNetParity.compare(ParitySuite.reference(), CpuBackend.forIsa(other), SHORT);
        System.out.println(c.describe());
        for (CaseResult r : c.results()) assertTrue(!r.failed(), r.op() + ": " + r.detail());
    }

    @Test
    void aFirstStepAnEarlyWindowOrTheLateMeanOutOfToleranceFails() {
        float[] curve = new float[200];
        for (int i = 0; i < curve.length; i++) curve[i] = 0.7f * (float) Math.exp(-i / 80.0);
        assertEquals(List.of(PASS, PASS, PASS), statuses(curve, curve.clone()));

        float[] first = curve.clone();
        first[0] *= 1 + 2 * MatchNetParity.FIRST_STEP.rel();
        assertEquals(List.of(FAIL, PASS, PASS), statuses(curve, first));

        // Steps 20-29 higher by twice the early tolerance: one window of ten out.
        float[] early = curve.clone();
        for (int i = 20; i < 30; i++) early[i] += (float) (2 * MatchNetParity.EARLY.abs());
        assertEquals(List.of(PASS, FAIL, PASS), statuses(curve, early));

        // A device that stops learning after the early steps.
        float[] stuck = curve.clone();
        for (int i = 50; i < stuck.length; i++) stuck[i] = curve[50];
        assertEquals(List.of(PASS, PASS, FAIL), statuses(curve, stuck));

        float[] nan = curve.clone();
        nan[180] = Float.NaN;
        assertEquals(List.of(PASS, PASS, FAIL), statuses(curve, nan));
    }

    private static List<CaseResult.Status> statuses(float[] expected, float[] got) {
        return MatchNetParity.results(expected, got, 0).stream().map(CaseResult::status).toList();
    }

    @Test
    void earlyWindowsAndTheLateMeanAreMeansOfTheirSteps() {
        float[] losses = new float[60];
        Arrays.fill(losses, 1f);
        for (int i = 40; i < 50; i++) losses[i] = 3f;
        for (int i = 45; i < 60; i++) losses[i] = 5f;
        // Windows of steps 0-9, ..., 40-49 (five 3s and five 5s); the last quarter is steps 45-59.
        assertEquals(List.of(1f, 1f, 1f, 1f, 4f), toList(MatchNetParity.early(losses)));
        assertEquals(List.of(5f), toList(MatchNetParity.late(losses)));
    }

    private static List<Float> toList(float[] v) {
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) boxed[i] = v[i];
        return List.of(boxed);
    }
}
