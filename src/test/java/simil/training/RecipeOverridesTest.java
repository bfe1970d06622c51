package simil.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** simil train --set FIELD=VALUE: any recipe field by its recipe.json name, typed as the field is. */
class RecipeOverridesTest {
    private final Recipe base = Recipe.defaultRecipe();

    @Test
    void setsBooleansWholeNumbersAndFloats() {
        Recipe r = base.withOverrides(Map.of("augment", "true", "classifierEpochs", "2", "labelSmoothing", "0.2",
                "metricLr", "3e-3", "optimizer", "adam"));
        assertTrue(r.augment());
        assertEquals(2, r.classifierEpochs());
        assertEquals(0.2f, r.labelSmoothing());
        assertEquals(3e-3f, r.metricLr());
        assertEquals(Optimizer.ADAM, r.optimizer());
        assertEquals(base.withOverrides(Map.of()), base);
        assertEquals("default", r.name(), "the name says which recipe was changed");
        assertEquals(base.batchNorm(), r.batchNorm(), "fields not named stay");
    }

    @Test
    void refusesUnknownFieldsTheNameAndValuesOfTheWrongType() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> base.withOverrides(Map.of("augmentation", "false"))).getMessage();
        assertTrue(unknown.contains("no recipe field 'augmentation'") && unknown.contains("augment,"), unknown);
        assertThrows(IllegalArgumentException.class, () -> base.withOverrides(Map.of("name", "mine")));
        String bool = assertThrows(IllegalArgumentException.class, () -> base.withOverrides(Map.of("augment", "no"))).getMessage();
        assertTrue(bool.contains("true or false"), bool);
        String whole = assertThrows(IllegalArgumentException.class, () -> base.withOverrides(Map.of("batch", "1.5"))).getMessage();
        assertTrue(whole.contains("a whole number"), whole);
        String number = assertThrows(IllegalArgumentException.class, () -> base.withOverrides(Map.of("lr", "fast"))).getMessage();
        assertTrue(number.contains("a number, not 'fast'"), number);
        String optimizer = assertThrows(IllegalArgumentException.class, () -> base.withOverrides(Map.of("optimizer", "sgd"))).getMessage();
        assertEquals("--set optimizer takes one of adam, adamw, not 'sgd'", optimizer);
        assertEquals(Schedule.CONSTANT, base.withOverrides(Map.of("schedule", "constant")).schedule());
    }

    /** A value --set gives is range-checked as the flag's would be, and the message says it came from --set. */
    @Test
    void refusesValuesOutOfRangeNamingTheSetting() {
        assertEquals("--set lr=-1.0: must be more than 0", refusal(Map.of("lr", "-1")));
        assertEquals("--set metricLr=0.0: must be more than 0", refusal(Map.of("metricLr", "0")));
        assertEquals("--set labelSmoothing=1.0: must be in [0, 1)", refusal(Map.of("labelSmoothing", "1")));
        assertEquals("--set batch=0: must be 1 or more", refusal(Map.of("batch", "0")));
        assertEquals("--set warmupSteps=-5: must be 0 or more", refusal(Map.of("warmupSteps", "-5")));
        assertEquals("--set budgetMinutes=-1.0: must be 0 (no budget) or more", refusal(Map.of("budgetMinutes", "-1")));
        assertEquals("--set classifierEpochs=-3: must be 0 or more", refusal(Map.of("classifierEpochs", "-3")));
    }

    private String refusal(Map<String, String> overrides) {
        return assertThrows(IllegalArgumentException.class, () -> base.withOverrides(overrides)).getMessage();
    }
}
