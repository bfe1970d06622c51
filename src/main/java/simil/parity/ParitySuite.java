package simil.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import simil.backend.cpu.CpuBackend;
import simil.backend.cpu.Isa;
import simil.tensor.Backend;

/**
 * Every op of every op family against the CPU backend: the cases of each family, in the order of
 * {@link Backend}'s families. The same cases run in the tests (on the emulated GPU, on a real one where present) and
 * in {@code simil device-check} on a GPU machine.
 */
public final class ParitySuite {
    private ParitySuite() {}

    /** What every backend is checked against: the CPU backend in the best instruction set this CPU runs. */
    public static Backend reference() {
        return CpuBackend.forIsa(Isa.best());
    }

    /** Every case, family by family. */
    public static List<ParityCase> cases() {
        return Stream.of(BackendCases.cases(), BlasCases.cases(), TensorCases.cases(), ActivationCases.cases(),
                ConvCases.cases(), NormCases.cases(), AttentionCases.cases(), LossCases.cases(), OptimCases.cases(),
                PairScoringCases.cases(), CodebookCases.cases(), RandomCases.cases()).flatMap(List::stream).toList();
    }

    /** Runs every case on {@code reference} and {@code candidate}, telling {@code each} about each result as it comes. */
    public static List<CaseResult> run(Backend reference, Backend candidate, Consumer<CaseResult> each) {
        List<CaseResult> results = new ArrayList<>();
        for (ParityCase c : cases()) {
            CaseResult r = c.check(reference, candidate);
            each.accept(r);
            results.add(r);
        }
        return results;
    }
}
