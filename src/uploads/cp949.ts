/**
 * CP949 (Windows code page 949, "Unified Hangul Code"): what Excel on Korean Windows writes as plain "CSV". It
 * is EUC-KR (KS X 1001) plus the 8,822 modern Hangul syllables KS X 1001 lacks.
 *
 * Why not Node's `TextDecoder("euc-kr")` alone: under Node's ICU it decodes strict EUC-KR only, and it does not
 * fail on the extension: `똠` (0x8C 0x63) comes out as U+008C `c`, silently garbled. So the KS X 1001 part is
 * taken from that decoder (one call per byte pair, once) and the extension is built by its published rule: the
 * syllables U+AC00–U+D7A3 that KS X 1001 does not hold, in Unicode order, on the lead bytes 0x81–0xC6 with the
 * trail bytes 0x41–0x5A, 0x61–0x7A and 0x81–0xFE (only up to 0xA0 from lead 0xA1 on). Plus the two symbols
 * Microsoft added later (0xA2E6 €, 0xA2E7 ®). The table equals Python's `cp949` codec pair for pair
 * (test/uploads/encodings.test.ts compares a digest). Anything unmapped is an error, never U+FFFD.
 */

const FIRST_LEAD = 0x81;
const FIRST_TRAIL = 0x41;
const TRAILS = 0xfe - FIRST_TRAIL + 1;

let table: Uint16Array | undefined;

/** Code point of each (lead, trail) pair, 0 = unmapped; index (lead − 0x81) × 190 + (trail − 0x41). */
export function cp949Table(): Uint16Array {
  if (table) return table;
  const codes = new Uint16Array((0xfe - FIRST_LEAD + 1) * TRAILS);
  const at = (lead: number, trail: number) => (lead - FIRST_LEAD) * TRAILS + (trail - FIRST_TRAIL);
  const ksx1001 = new TextDecoder("euc-kr", { fatal: true });
  const inKsx1001 = new Set<number>();
  // KS X 1001 rows 0xA1–0xFE × 0xA1–0xFE, without the user-defined rows 0xC9 and 0xFE (private use).
  for (let lead = 0xa1; lead <= 0xfd; lead++) {
    if (lead === 0xc9) continue;
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      let text: string;
      try {
        text = ksx1001.decode(Uint8Array.of(lead, trail));
      } catch {
        continue;
      }
      if (text.length !== 1) continue;
      const code = text.charCodeAt(0);
      codes[at(lead, trail)] = code;
      if (code >= 0xac00 && code <= 0xd7a3) inKsx1001.add(code);
    }
  }
  let syllable = 0xac00;
  const next = () => {
    while (inKsx1001.has(syllable)) syllable++;
    return syllable <= 0xd7a3 ? syllable++ : 0;
  };
  for (let lead = FIRST_LEAD; lead <= 0xc6 && syllable <= 0xd7a3; lead++) {
    for (let trail = FIRST_TRAIL; trail <= (lead < 0xa1 ? 0xfe : 0xa0); trail++) {
      if ((trail > 0x5a && trail < 0x61) || (trail > 0x7a && trail < 0x81)) continue;
      const code = next();
      if (code === 0) break;
      codes[at(lead, trail)] = code;
    }
  }
  codes[at(0xa2, 0xe6)] = 0x20ac;
  codes[at(0xa2, 0xe7)] = 0x00ae;
  table = codes;
  return codes;
}

/** Where CP949 decoding failed: the byte's offset in the whole body and its line (1-based, counting LF). */
export class Cp949Error extends Error {
  constructor(
    readonly byte: number,
    readonly line: number,
  ) {
    super(`not CP949 at byte ${byte} (line ${line})`);
  }
}

/**
 * A streaming CP949 decoder: `decode(chunk)` returns the text of the complete characters so far (a lead byte at a
 * chunk's end waits for the next chunk); `end()` fails on a dangling lead byte. Throws `Cp949Error`.
 */
export class Cp949Decoder {
  private readonly codes = cp949Table();
  private lead = 0;
  private offset = 0;
  private line = 1;

  decode(bytes: Uint8Array): string {
    const parts: string[] = [];
    let units: number[] = [];
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      const b = bytes[i];
      if (this.lead !== 0) {
        const code =
          b >= FIRST_TRAIL && b <= 0xfe ? this.codes[(this.lead - FIRST_LEAD) * TRAILS + b - FIRST_TRAIL] : 0;
        if (code === 0) throw new Cp949Error(this.offset + i - 1, this.line);
        units.push(code);
        this.lead = 0;
        i++;
        continue;
      }
      if (b < 0x80) {
        // A run of ASCII in one slice: most of a CSV.
        let j = i + 1;
        while (j < n && bytes[j] < 0x80) j++;
        if (units.length > 0) {
          parts.push(String.fromCharCode(...units));
          units = [];
        }
        const ascii = Buffer.from(bytes.buffer, bytes.byteOffset + i, j - i).toString("latin1");
        for (let k = i; k < j; k++) if (bytes[k] === 0x0a) this.line++;
        parts.push(ascii);
        i = j;
        continue;
      }
      if (b === 0x80 || b === 0xff) throw new Cp949Error(this.offset + i, this.line);
      this.lead = b;
      i++;
      if (units.length >= 4096) {
        parts.push(String.fromCharCode(...units));
        units = [];
      }
    }
    if (units.length > 0) parts.push(String.fromCharCode(...units));
    this.offset += n;
    return parts.join("");
  }

  end(): void {
    if (this.lead !== 0) throw new Cp949Error(this.offset - 1, this.line);
  }
}
