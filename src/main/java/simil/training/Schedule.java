package simil.training;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;

/** How a recipe's learning rate moves over a phase; recipe.json spells it in lower case ({@code "cosine"}). */
public enum Schedule {
    /** The learning rate throughout. */
    @SerializedName("constant") CONSTANT,
    /** A linear warmup over the recipe's warmup steps, then a cosine decay to 1% of the learning rate. */
    @SerializedName("cosine") COSINE;

    /** The recipe.json spelling. */
    @Override public String toString() { return name().toLowerCase(Locale.ROOT); }
}
