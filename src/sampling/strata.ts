/**
 * Stratum keys. A stratum is one combination of values of the chosen attributes; its key is
 * `attribute=value` pairs joined by `|`, in the order the attributes were given, e.g. `queue=hate|market=KR`.
 * A backslash, `|` or `=` inside a name or value is escaped with a backslash (`a\|b`), so the key is
 * unambiguous. An absent value is the empty string (`market=`). Without strata the one stratum is `all`.
 */
export const SINGLE_STRATUM = "all";

const SPECIAL = /[\\|=]/g;
const escaped = (text: string) => text.replace(SPECIAL, (c) => `\\${c}`);

export function stratumKey(attributes: readonly string[], values: readonly string[]): string {
  if (attributes.length === 0) return SINGLE_STRATUM;
  let key = "";
  for (let i = 0; i < attributes.length; i++) {
    if (i > 0) key += "|";
    key += `${escaped(attributes[i])}=${escaped(values[i])}`;
  }
  return key;
}

/** The inverse of {@link stratumKey}: the values of each attribute, or undefined for a malformed key. */
export function parseStratumKey(key: string): Record<string, string> | undefined {
  if (key === SINGLE_STRATUM) return {};
  const result: Record<string, string> = {};
  let name = "";
  let text = "";
  let inValue = false;
  for (let i = 0; i < key.length; i++) {
    const ch = key[i];
    if (ch === "\\") {
      if (i + 1 >= key.length) return undefined;
      if (inValue) text += key[++i];
      else name += key[++i];
    } else if (ch === "=" && !inValue) {
      inValue = true;
    } else if (ch === "|" && inValue) {
      result[name] = text;
      name = "";
      text = "";
      inValue = false;
    } else if (ch === "=" || ch === "|") {
      return undefined;
    } else if (inValue) text += ch;
    else name += ch;
  }
  if (!inValue) return undefined;
  result[name] = text;
  return result;
}
