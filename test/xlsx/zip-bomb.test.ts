import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDeflateRaw, deflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { checkZipSize } from "../../src/xlsx/zip-check.ts";
import { testContext } from "../helpers.ts";
import { postXlsx } from "./fixture.ts";

/** The guard in front of the XLSX reader: what an archive really unpacks to, whatever it declares. */

interface ZipEntry {
  name: string;
  data: Buffer;
  /** What the central directory claims the entry unpacks to (a zip bomb lies here). */
  declaredSize?: number;
}

/** A minimal ZIP archive of deflated entries; `gap` bytes of junk after the first entry's data. */
function zip(entries: ZipEntry[], gap = 0): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize ?? 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declaredSize ?? 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    const junk = i === 0 ? Buffer.alloc(gap, 0x41) : Buffer.alloc(0);
    locals.push(local, name, entry.data, junk);
    centrals.push(central, name);
    offset += 30 + name.length + entry.data.length + junk.length;
  });
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const directory = mkdtempSync(join(tmpdir(), "modqc-zip-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

function file(bytes: Buffer): string {
  const path = join(directory, `upload-${++files}.xlsx`);
  writeFileSync(path, bytes);
  return path;
}

/** `size` bytes of zeros, deflated as they are produced (never held whole). */
async function deflatedZeros(size: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => out.push(chunk));
  const chunk = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += chunk.length) {
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  await new Promise((resolve) => deflate.end(resolve));
  return Buffer.concat(out);
}

describe("checkZipSize", () => {
  it("counts what the entries inflate to, not what they declare", async () => {
    const bomb = zip([
      { name: "xl/sharedStrings.xml", data: deflateRawSync(Buffer.alloc(2_000_000)), declaredSize: 100 },
    ]);
    await expect(checkZipSize(file(bomb), 1_000_000)).rejects.toMatchObject({
      code: "xlsx_too_large",
      kind: "too_large",
    });
    await expect(checkZipSize(file(bomb), 3_000_000)).resolves.toEqual(expect.any(Array));
  });

  it("adds up the entries: many small ones over the limit are refused too", async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: deflateRawSync(Buffer.alloc(300_000)),
    }));
    await expect(checkZipSize(file(zip(entries)), 1_000_000)).rejects.toMatchObject({
      code: "xlsx_too_large",
    });
  });

  it("refuses an archive with bytes between entries (a hidden entry the reader would meet)", async () => {
    const entries = [
      { name: "a.xml", data: deflateRawSync(Buffer.from("<a/>")) },
      { name: "b.xml", data: deflateRawSync(Buffer.from("<b/>")) },
    ];
    await expect(checkZipSize(file(zip(entries)), 1000)).resolves.toEqual(expect.any(Array));
    await expect(checkZipSize(file(zip(entries, 100)), 1000)).rejects.toMatchObject({ code: "invalid_xlsx" });
  });

  it("refuses what is not a ZIP archive, or broken deflate data", async () => {
    await expect(checkZipSize(file(Buffer.from("id,queue\n1,a\n")), 1000)).rejects.toMatchObject({
      code: "invalid_xlsx",
    });
    const broken = zip([{ name: "a.xml", data: Buffer.from([0xff, 0xff, 0xff, 0xff]) }]);
    await expect(checkZipSize(file(broken), 1000)).rejects.toMatchObject({ code: "invalid_xlsx" });
  });
});

describe("POST of a zip bomb", () => {
  it("a workbook unpacking to more than 512 MiB is refused with 413 before it is parsed", async () => {
    const ctx = await testContext();
    const sheet = await deflatedZeros(520 * 1024 * 1024);
    expect(sheet.length).toBeLessThan(2 * 1024 * 1024);
    const bomb = zip([{ name: "xl/worksheets/sheet1.xml", data: sheet, declaredSize: 1000 }]);
    const before = process.memoryUsage().rss;
    const res = await postXlsx(ctx, "/v1/audits", bomb);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("xlsx_too_large");
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);
});
