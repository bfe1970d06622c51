package simil.training;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;

/** How a recipe updates the weights; recipe.json spells it in lower case ({@code "adamw"}). */
public enum Optimizer {
    /** torch.optim.Adam: weight decay added to the gradient (L2). */
    @SerializedName("adam") ADAM,
    /** torch.optim.AdamW: weight decay applied to the weights directly (decoupled). */
    @SerializedName("adamw") ADAMW;

    /** The recipe.json spelling. */
    @Override public String toString() { return name().toLowerCase(Locale.ROOT); }
}
