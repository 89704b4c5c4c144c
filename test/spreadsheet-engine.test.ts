import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestContext, testContext } from "./helpers.ts";
import {
  closedCalibration,
  download,
  formulaCells,
  HOSTILE_TEXTS,
  plain,
  postXlsx,
  seedAudits,
  seedSample,
  sheetRows,
  TRICKY_IDS,
  workbookOf,
} from "./xlsx/fixture.ts";
import { LibreOffice, SOFFICE, SOFFICE_MISSING } from "./xlsx/libreoffice.ts";

/**
 * The exports through a real spreadsheet engine (LibreOffice headless): an .xlsx export opened and saved again
 * uploads back as duplicates only, with every id as it was; every CSV export opened as a user would (formulas
 * evaluated) holds no formula, however hostile the texts the uploads stored.
 */
describe.skipIf(!SOFFICE)(
  `exports through LibreOffice${SOFFICE ? "" : ` (skipped: ${SOFFICE_MISSING})`}`,
  () => {
    let ctx: TestContext;
    let office: LibreOffice;
    let dir: string;
    let sample: string;
    let audits: Record<string, unknown>[];

    beforeAll(async () => {
      ctx = await testContext();
      office = new LibreOffice();
      dir = mkdtempSync(join(tmpdir(), "modqc-engine-"));
      audits = await seedAudits(ctx);
      sample = await seedSample(ctx);
    });
    afterAll(() => {
      office?.dispose();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const save = async (name: string, path: string) => {
      const res = await download(ctx, path);
      expect(res.status, `${path}: ${res.bytes.toString("utf8", 0, 300)}`).toBe(200);
      const file = join(dir, name);
      writeFileSync(file, res.bytes);
      return file;
    };

    it("xlsx exports re-saved by LibreOffice upload back with nothing inserted, ids intact", async () => {
      const exported = [
        await save("audits.xlsx", "/v1/audits?format=xlsx&tz=Asia/Seoul"),
        await save("items.xlsx", `/v1/samples/${sample}/items?format=xlsx&tz=Asia/Seoul`),
        await save("template.xlsx", `/v1/samples/${sample}/items?format=xlsx&template=audit`),
      ];
      const resavedDir = join(dir, "resaved");
      mkdirSync(resavedDir);
      const [auditsFile, itemsFile, templateFile] = await office.toXlsx(exported, resavedDir, "xlsx");

      // Text cells stay text in the engine: the hostile texts were not turned into formulas.
      for (const file of [auditsFile, itemsFile, templateFile]) {
        expect(formulaCells(await workbookOf(readFileSync(file))), file).toEqual([]);
      }
      const again = await postXlsx(ctx, "/v1/audits?tz=Asia/Seoul", readFileSync(auditsFile));
      expect(again.body).toEqual({ inserted: 0, duplicates: audits.length });
      console.info(`LibreOffice round trip of the audits export: ${JSON.stringify(again.body)}`);

      const json = (await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.lead })).body
        .items as {
        id: string;
        priorityDecimal: string;
        decidedAt: string;
      }[];
      const items = sheetRows((await workbookOf(readFileSync(itemsFile))).worksheets[0]);
      expect(items.map((row) => row.id)).toEqual(json.map((item) => item.id));
      expect(items.map((row) => row.priorityDecimal)).toEqual(json.map((item) => item.priorityDecimal));
      expect(items[0].decidedAt).toEqual(new Date(Date.parse(json[0].decidedAt) + 9 * 3600_000));
      const template = sheetRows((await workbookOf(readFileSync(templateFile))).worksheets[0]);
      expect(template.map((row) => row.decisionId)).toEqual(json.map((item) => item.id));

      // The re-saved items as a new population: every id as it was drawn (none rounded, dated or re-typed).
      const population = await postXlsx(ctx, "/v1/populations?tz=Asia/Seoul", readFileSync(itemsFile));
      expect(population.status, population.text).toBe(201);
      const redraw = await ctx.call("POST", "/v1/samples", {
        key: ctx.keys.lead,
        json: { population: population.body.id, total: json.length, seed: "xlsx" },
      });
      const redrawn = (await ctx.call("GET", `/v1/samples/${redraw.body.id}/items`, { key: ctx.keys.lead }))
        .body.items as { id: string; decidedAt: string }[];
      expect(redrawn.map((item) => item.id).sort()).toEqual(json.map((item) => item.id).sort());
      expect(redrawn.map((item) => Date.parse(item.decidedAt))).toEqual(
        redrawn.map(() => Date.parse("2026-11-20T10:00:00.250Z")),
      );
      for (const id of TRICKY_IDS) expect(redrawn.map((item) => item.id)).toContain(id);
    }, 240_000);

    it("no CSV export holds a formula once LibreOffice opens it, whatever the uploads stored", async () => {
      const calibration = await closedCalibration(ctx);
      const exported = [
        await save("audits.csv", "/v1/audits?format=csv"),
        await save("quality.csv", "/v1/quality?format=csv&groupBy=queue,moderator"),
        await save("items.csv", `/v1/samples/${sample}/items?format=csv`),
        await save("template.csv", `/v1/samples/${sample}/items?format=csv&template=audit`),
        await save("scorecards.csv", "/v1/scorecards?format=csv&from=2026-11-01&to=2026-11-30"),
        await save("calibration.csv", `/v1/calibrations/${calibration}/report?format=csv`),
        await save("policy-confusion.csv", "/v1/policy-confusion?format=csv"),
      ];
      // The control: an unguarded formula in a CSV becomes a formula, so the import evaluates formulas.
      const control = join(dir, "control.csv");
      writeFileSync(control, "text,n\r\n=1+1,2\r\n");
      const convertedDir = join(dir, "converted");
      mkdirSync(convertedDir);
      const converted = await office.toXlsx([control, ...exported], convertedDir, "csv");
      expect(formulaCells(await workbookOf(readFileSync(converted[0])))).toEqual(["control!A2: 1+1"]);
      const seen = new Set<string>();
      for (const file of converted.slice(1)) {
        const workbook = await workbookOf(readFileSync(file));
        expect(formulaCells(workbook), file).toEqual([]);
        workbook.eachSheet((sheet) =>
          sheet.eachRow((row) =>
            row.eachCell((cell) => {
              const text = plain(cell.value);
              if (typeof text === "string") seen.add(text.replace(/^'/, ""));
            }),
          ),
        );
      }
      // The hostile texts did reach the sheets, as text.
      for (const text of HOSTILE_TEXTS.slice(0, 4)) expect(seen, text).toContain(text);
    }, 240_000);
  },
);
