/**
 * Formulas shown beside the calculators. Mathematical notation reads the same in Korean and English, so these
 * are not in the dictionaries; the words around them are.
 */
export const INTERVAL_FORMULAS: Record<string, string> = {
  wilson: "(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)",
  wald: "p̂ ± z·√(p̂(1−p̂)/n)",
  "clopper-pearson": "[B(α/2; x, n−x+1), B(1−α/2; x+1, n−x)]",
  "agresti-coull": "p̃ ± z·√(p̃(1−p̃)/ñ),  ñ = n + z²,  p̃ = (x + z²/2)/ñ",
  jeffreys: "[B(α/2; x+½, n−x+½), B(1−α/2; x+½, n−x+½)]",
};

export const SAMPLE_SIZE_FORMULAS = {
  cochran: "n₀ = z²·p(1−p) / e²",
  fpc: "n = n₀ / (1 + (n₀ − 1)/N)",
  exact: "min n : (upper − lower)/2 ≤ e  at  x = ⌊n·p + ½⌋",
  binomial: "min n : P(X ≤ c | X ~ Bin(n, p_max)) ≤ 1 − confidence",
  hypergeometric: "min n : P(X ≤ c | X ~ Hyp(N, ⌈p_max·N⌉, n)) ≤ 1 − confidence",
} as const;

export const ALLOCATION_FORMULAS: Record<string, string> = {
  proportional: "n_h = n · N_h / Σ N_h",
  neyman: "n_h = n · N_h·√(p_h(1−p_h)) / Σ N_k·√(p_k(1−p_k))",
  equal: "n_h = n / H",
};
