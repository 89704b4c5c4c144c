/**
 * p- and q-values for display (issue 16): three significant digits, in scientific notation below 0.001 (a q of
 * 3.2e-9 must not read as 0), through Intl so digits and separators follow the language.
 */
export function formatPValue(locale: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const small = value !== 0 && value < 0.001;
  return new Intl.NumberFormat(locale, {
    maximumSignificantDigits: 3,
    ...(small ? { notation: "scientific" } : {}),
  }).format(value);
}
