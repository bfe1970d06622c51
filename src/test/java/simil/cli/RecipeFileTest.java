package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import simil.backend.Backends;
import simil.data.DataFingerprint;
import simil.data.ImageStore;
import simil.data.Splits;
import simil.data.Subset;
import simil.data.TinyImageNet;
import simil.training.Recipe;
import simil.training.TrainingRun;

/** {@code --recipe FILE.json}: a run's recipe.json, fed back, is the recipe that run trained with. */
class RecipeFileTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    /** The recipe {@code simil train args...} would train with (parsed, not run). */
    private static Recipe recipeOf(String... args) {
        CommandLine cli = new CommandLine(new TrainCommand());
        cli.parseArgs(args);
        TrainCommand train = cli.getCommand();
        return train.recipeOptions.recipe(train.architecture);
    }

    @Test
    void aRunsRecipeJsonFedBackIsTheSameRecipe() throws Exception {
        Recipe changed = recipeOf("matchnet", "--recipe", "quick", "--set", "labelSmoothing=0.1", "--set", "optimizer=adam",
                "--lr", "3e-3", "--batch", "2", "--epochs", "1", "--metric-epochs", "1", "--budget-minutes", "0", "--out", "unused");
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        ImageStore store = TinyImageNet.load(zip, Subset.ALL, dir.resolve("cache"), false, QUIET);
        Path run = dir.resolve("run");
        new TrainingRun(Architectures.build(Backends.open("cpu"), "matchnet", changed), changed, DataFingerprint.of(zip, null, null, 1, 2, 1),
                store, Splits.carve(store, 1, 1, 2), run, QUIET).run(false);

        Path recipeJson = run.resolve("recipe.json");
        assertEquals(changed, recipeOf("matchnet", "--recipe", recipeJson.toString(), "--out", "again"));
        // A recipe file is found by being one, too, whatever its name.
        Path plain = Files.copy(recipeJson, dir.resolve("my-recipe"));
        assertEquals(changed, recipeOf("matchnet", "--recipe", plain.toString(), "--out", "again"));
        // Flags and --set still change a recipe read from a file.
        assertEquals(changed.withLr(1e-3f), recipeOf("matchnet", "--recipe", recipeJson.toString(), "--lr", "1e-3", "--out", "again"));
        assertEquals(changed.toJson(), Files.readString(recipeJson), "recipe.json keeps its spelling");
    }

    @Test
    void withoutRecipeMatchnetTrainsWithDefaultAndBeitWithBeit() {
        assertEquals(Recipe.defaultRecipe(), recipeOf("matchnet", "--out", "x"));
        assertEquals(Recipe.beitRecipe(), recipeOf("beit", "--out", "x"));
        // The reference protocol stays available by name.
        assertEquals(Recipe.seedRecipe(), recipeOf("matchnet", "--recipe", "seed", "--out", "x"));
    }

    @Test
    void everyNamedRecipeSurvivesItsJson() {
        for (String name : new String[] {"seed", "default", "quick", "beit"}) {
            Recipe r = Recipe.named(name);
            assertEquals(r, Recipe.fromJson(r.toJson()), name);
        }
        String json = Recipe.defaultRecipe().toJson();
        assertTrue(json.contains("\"optimizer\": \"adamw\"") && json.contains("\"schedule\": \"cosine\""), json);
    }

    @Test
    void aBadRecipeFileIsOneLineNamingTheFileAndTheField() throws Exception {
        String good = Recipe.seedRecipe().toJson();
        assertRefused(good.replace("\"lr\": 1.0E-4", "\"lr\": -1.0"), "lr -1.0: must be more than 0");
        assertRefused(good.replace("\"optimizer\": \"adam\"", "\"optimizer\": \"sgd\""), "optimizer takes one of adam, adamw, not 'sgd'");
        assertRefused(good.replace("\"batch\": 32,", ""), "the recipe has no field 'batch'");
        assertRefused(good.replace("\"batch\": 32,", "\"batch\": 32, \"momentum\": 0.9,"), "no recipe field 'momentum'");
        assertRefused(good.replace("\"batch\": 32", "\"batch\": 2.5"), "batch takes a whole number, not '2.5'");
        assertRefused("[1, 2]", "not a recipe");
        String missing = assertThrows(IllegalArgumentException.class,
                () -> recipeOf("matchnet", "--recipe", dir.resolve("absent.json").toString(), "--out", "x")).getMessage();
        assertTrue(missing.startsWith("--recipe " + dir.resolve("absent.json") + ": cannot read it"), missing);
        String unknown = assertThrows(IllegalArgumentException.class, () -> recipeOf("matchnet", "--recipe", "fast", "--out", "x")).getMessage();
        assertEquals("--recipe fast: no such recipe (seed, default, quick, beit, beit-cpu) or recipe.json file", unknown);
    }

    private void assertRefused(String json, String expected) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), json);
        String message = assertThrows(IllegalArgumentException.class, () -> Recipe.read(file)).getMessage();
        assertTrue(message.startsWith("--recipe " + file + ": " + expected), message);
        assertEquals(1, message.lines().count(), message);
    }
}
