package simil.parity;

import java.util.List;
import java.util.Locale;

/** The results as one plain-text table (op | max abs err | max rel err | tolerance | ok) and a summary line. */
public final class ParityTable {
    private ParityTable() {}

    public static String format(List<CaseResult> results) {
        int width = "op".length();
        for (CaseResult r : results) width = Math.max(width, r.op().length());
        StringBuilder s = new StringBuilder();
        String row = "%-" + width + "s | %11s | %11s | %-18s | %s%n";
        s.append(String.format(Locale.ROOT, row, "op", "max abs err", "max rel err", "tolerance", "ok"));
        s.append("-".repeat(width)).append("-|-------------|-------------|--------------------|-----").append(System.lineSeparator());
        for (CaseResult r : results) {
            boolean ran = r.status() != CaseResult.Status.SKIPPED;
            s.append(String.format(Locale.ROOT, row, r.op(), ran ? number(r.maxAbs()) : "", ran ? number(r.maxRel()) : "",
                    r.tolerance(), switch (r.status()) {
                        case PASS -> "ok";
                        case FAIL -> "FAIL";
                        case SKIPPED -> "skipped: " + r.detail();
                    }));
        }
        return s.toString();
    }

    /** {@code 79 of 81 within tolerance, 1 failed, 1 skipped}. */
    public static String summary(List<CaseResult> results) {
        long pass = results.stream().filter(r -> r.status() == CaseResult.Status.PASS).count();
        long fail = results.stream().filter(CaseResult::failed).count();
        long skipped = results.size() - pass - fail;
        return pass + " of " + results.size() + " within tolerance, " + fail + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }

    /** Each failure's reason, one line each. */
    public static String failures(List<CaseResult> results) {
        StringBuilder s = new StringBuilder();
        for (CaseResult r : results) if (r.failed()) s.append(r.op()).append(": ").append(r.detail()).append(System.lineSeparator());
        return s.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) return "-";
        if (v == 0) return "0";
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
