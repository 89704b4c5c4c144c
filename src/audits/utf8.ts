/**
 * Where a byte stream stops being UTF-8: the first byte of the first ill-formed sequence and its line (1-based,
 * counting LF), by the WHATWG UTF-8 decoder's rules (no overlongs, no surrogates, nothing above U+10FFFF).
 * Used only once a fatal decoder has refused the body, to tell the client where. O(bytes).
 */
export function locateInvalidUtf8(chunks: Iterable<Uint8Array>): { byte: number; line: number } | undefined {
  let needed = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let byte = 0;
  let line = 1;
  let sequenceStart = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++, byte++) {
      const b = chunk[i];
      if (needed > 0) {
        if (b < lower || b > upper) return { byte: sequenceStart, line };
        lower = 0x80;
        upper = 0xbf;
        needed--;
        continue;
      }
      if (b < 0x80) {
        if (b === 0x0a) line++;
        continue;
      }
      sequenceStart = byte;
      if (b >= 0xc2 && b <= 0xdf) needed = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        needed = 2;
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        needed = 3;
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
      } else return { byte, line };
    }
  }
  return needed > 0 ? { byte: sequenceStart, line } : undefined;
}
