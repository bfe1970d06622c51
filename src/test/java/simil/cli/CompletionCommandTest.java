package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simil completion}: a bash script that completes commands, options and MODEL names, run by a real bash. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    /** What bash completes for {@code words} (the last one being typed) after sourcing the script. */
    private List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) array.append('\'').append(w).append("' ");
        String program = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; _complete_simil 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), out);
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void theScriptCompletesCommandsOptionsAndModels() throws Exception {
        InProcess.Outcome r = InProcess.simil("completion");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Path script = Files.writeString(dir.resolve("simil.bash"), r.out());
        Process syntax = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertEquals(0, syntax.waitFor(), new String(syntax.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        assertEquals(List.of("train"), complete(script, "simil", "tr"));
        assertEquals(List.of("matchnet", "beit"), complete(script, "simil", "train", ""));
        assertTrue(complete(script, "simil", "eval", "--pr").contains("--precision"));
        assertEquals(List.of("fp32", "int8"), complete(script, "simil", "eval", "--precision", ""));
        // The launcher in a checkout, as the README calls it.
        assertEquals(List.of("compare", "completion"), complete(script, "./simil", "comp"));
    }
}
