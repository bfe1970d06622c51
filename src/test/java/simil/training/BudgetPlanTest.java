package simil.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a budget sizes the phases from their measured costs. */
class BudgetPlanTest {
    @Test
    void theRecipesEpochsAreKeptWhenTheyFit() {
        BudgetPlan plan = BudgetPlan.fit(8, 5, List.of(PhasePlan.measured("classifier", 3, 60, 0), PhasePlan.measured("metric", 2, 10, 30)));
        assertEquals(3, plan.epochsOf("classifier"));
        assertEquals(2, plan.epochsOf("metric"));
        assertEquals(0, plan.epochsOf("pairs"));
        assertEquals(5 + 180 + 30 + 20, plan.seconds(), 1e-9);
        assertTrue(plan.describe().contains("the recipe's epochs fit"), plan.describe());
    }

    @Test
    void tooLongARecipeShrinksEveryPhaseByOneFactor() {
        // 590 s of room, 50 s of caching: 540 s for 1,020 s of epochs, a factor 0.53 of 9 and 12 epochs.
        BudgetPlan plan = BudgetPlan.fit(10, 10, List.of(PhasePlan.measured("classifier", 9, 100, 0), PhasePlan.measured("metric", 12, 10, 50)));
        assertEquals(4, plan.epochsOf("classifier"));
        assertEquals(6, plan.epochsOf("metric"));
        assertTrue(plan.seconds() <= 600, "" + plan.seconds());
        assertTrue(plan.describe().contains("classifier 4 of 9 epochs"), plan.describe());
    }

    @Test
    void aPhaseRaisedToOneEpochIsPaidForByTheOthers() {
        // A factor 100/130 leaves the metric phase no whole epoch; its one epoch comes out of the classifier's.
        BudgetPlan plan = BudgetPlan.fit(100 / 60f, 0, List.of(PhasePlan.measured("classifier", 4, 20, 0), PhasePlan.measured("metric", 1, 50, 0)));
        assertEquals(2, plan.epochsOf("classifier"));
        assertEquals(1, plan.epochsOf("metric"));
    }

    @Test
    void aBudgetWithoutRoomForOneMetricEpochIsAnErrorNamingEveryPhasesCost() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BudgetPlan.fit(1, 3,
                List.of(PhasePlan.measured("classifier", 2, 20, 0), PhasePlan.measured("metric", 3, 40, 12))));
        assertEquals("time budget of 1 minute cannot hold one epoch of every phase: classifier 1 epoch ≈ 20 s, caching ≈ 12 s, "
                + "metric 1 epoch ≈ 40 s (75 s in all with the 3.0 s probe); raise --budget-minutes or use a smaller --classes/--per-class",
                e.getMessage());
    }

    @Test
    void aPlanSurvivesItsJson() {
        BudgetPlan plan = BudgetPlan.fit(0.5f, 1.25, List.of(PhasePlan.measured("pairs", 5, 10, 0)));
        assertEquals(plan, BudgetPlan.fromJson(plan.toJson()));
        assertEquals(2, plan.epochsOf("pairs"));
    }
}
