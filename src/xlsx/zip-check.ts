import { closeSync, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import { createInflateRaw } from "node:zlib";
import { DomainError } from "../errors.ts";

/**
 * The guard in front of the XLSX reader (an .xlsx file is a ZIP archive): the archive's entries are inflated
 * once, output counted and thrown away, and the upload is refused when they hold more than `maxBytes` in all,
 * whatever sizes the archive declares (a "zip bomb" declares small ones). The entries must also lie back to back
 * from the start of the file to its central directory, so the reader, which walks the local headers in order,
 * meets exactly the entries counted here and no hidden one. Bounded memory: one 64 KiB read at a time.
 * Returns where each entry lies, so the reader can take them in another order.
 */
export async function checkZipSize(path: string, maxBytes: number): Promise<ZipSpan[]> {
  const entries = centralDirectory(path);
  let total = 0;
  for (const entry of entries) {
    if (entry.method !== 0 && entry.method !== 8)
      invalid(`entry ${entry.name} uses an unsupported compression`);
    if (entry.method === 0) {
      total += entry.compressedSize;
      if (total > maxBytes) tooLarge(maxBytes);
      continue;
    }
    total = await inflatedSize(path, entry, total, maxBytes);
  }
  return entries.map(({ name, offset, end }) => ({ name, start: offset, end }));
}

/** Where one entry lies in the file: local header, data and data descriptor, `end` exclusive. */
export interface ZipSpan {
  name: string;
  start: number;
  end: number;
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  /** The local header's offset, the data's, and the end of the entry (the next one's offset). */
  offset: number;
  dataStart: number;
  end: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A data descriptor after an entry's data: crc, sizes, with or without its signature (ZIP64: 8-byte sizes). */
const MAX_DESCRIPTOR_BYTES = 24;
const MAX_ENTRIES = 10_000;

function centralDirectory(path: string): Entry[] {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) invalid("not a ZIP archive (an .xlsx file is one)");
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff) invalid("ZIP64 archives are not read");
    if (count > MAX_ENTRIES) invalid(`more than ${MAX_ENTRIES} entries`);
    if (cdOffset + cdSize > size) invalid("the ZIP central directory lies outside the file");
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: Entry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) invalid("broken ZIP central directory");
      const nameLength = cd.readUInt16LE(at + 28);
      const offset = cd.readUInt32LE(at + 42);
      const local = readAt(fd, offset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) invalid("broken ZIP local header");
      entries.push({
        name: cd.toString("utf8", at + 46, at + 46 + nameLength),
        method: cd.readUInt16LE(at + 10),
        compressedSize: cd.readUInt32LE(at + 20),
        offset,
        end: 0,
        dataStart: offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28),
      });
      at += 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    }
    entries.sort((a, b) => a.offset - b.offset);
    let expected = 0;
    entries.forEach((entry, i) => {
      if (entry.offset < expected || entry.offset > expected + MAX_DESCRIPTOR_BYTES) {
        invalid("ZIP entries overlap or leave gaps");
      }
      expected = entry.dataStart + entry.compressedSize;
      if (i > 0) entries[i - 1].end = entry.offset;
    });
    if (cdOffset < expected || cdOffset > expected + MAX_DESCRIPTOR_BYTES) invalid("ZIP entries leave gaps");
    if (entries.length > 0) entries[entries.length - 1].end = cdOffset;
    return entries;
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

/** Inflates one entry, counting its output onto `before`; refuses as soon as the count passes `maxBytes`. */
function inflatedSize(path: string, entry: Entry, before: number, maxBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let total = before;
    const input = createReadStream(path, {
      start: entry.dataStart,
      end: Math.max(entry.dataStart, entry.dataStart + entry.compressedSize - 1),
      highWaterMark: 64 * 1024,
    });
    const inflate = createInflateRaw();
    const fail = (error: unknown) => {
      input.destroy();
      inflate.destroy();
      reject(error);
    };
    inflate.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        try {
          tooLarge(maxBytes);
        } catch (error) {
          fail(error);
        }
      }
    });
    inflate.on("end", () => resolve(total));
    inflate.on("error", () => fail(problem(`entry ${entry.name} is not valid deflate data`)));
    input.on("error", fail);
    input.pipe(inflate);
  });
}

const problem = (message: string) =>
  new DomainError("invalid", "invalid_xlsx", `not a readable .xlsx file: ${message}`);

function invalid(message: string): never {
  throw problem(message);
}

function tooLarge(maxBytes: number): never {
  throw new DomainError(
    "too_large",
    "xlsx_too_large",
    `the .xlsx file unpacks to more than ${maxBytes} bytes; split it or send CSV`,
  );
}
