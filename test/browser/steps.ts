import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";

/** The steps every browser test takes on the dashboard's pages. */

export type Lang = "ko" | "en";

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors: a test expects none. */
  errors: string[];
}

/**
 * A new browser context in `lang` (the browser prefers it, so the dashboard starts in it), in Asia/Seoul, on
 * `baseURL`, and its page. With `refusalsExpected`, the browser's own "Failed to load resource" lines (logged for
 * every 4xx a test causes on purpose) are not counted as errors.
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  lang: Lang,
  { width = 1280, height = 900, refusalsExpected = false } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    locale: lang === "ko" ? "ko-KR" : "en-US",
    viewport: { width, height },
    baseURL,
    timezoneId: "Asia/Seoul",
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (refusalsExpected && message.text().includes("Failed to load resource")) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return { context, page, errors };
}

/**
 * Calls the API at `baseURL` with `key`; `body` goes as JSON unless it is a string (then as `type`). Answers the
 * parsed JSON of a 2xx and throws with the status and text otherwise.
 */
export async function callApi<T>(
  baseURL: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  type?: string,
): Promise<T> {
  const response = await fetch(`${baseURL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": type ?? "application/json" }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export const SCREENSHOTS = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));

/** Signs in on the start page with `key` and waits until the page says who the key is. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto("/");
  await page.locator("input[name=api-key]").fill(key);
  await page.locator("input[name=api-key]").press("Enter");
  await page.getByTestId("who").waitFor();
}

/**
 * Waits until the page's data is on screen (nothing loading, the page's own content present). Reports on a busy
 * 2-core CI machine, PostgreSQL included, may take seconds: wait up to 20 s rather than vitest's default second.
 */
export async function ready(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().waitFor({ state: "visible" });
  // (Not waitForFunction: its string predicates need eval, which the pages' content security policy forbids.)
  await expect
    .poll(async () => (await page.locator(".loading").allTextContents()).join(""), { timeout: 20_000 })
    .toBe("");
}

/** Presses Tab until `predicate` holds for the focused element (`el`); the presses it took, or fails after `max`. */
export async function tabTo(page: Page, predicate: string, max = 80): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press("Tab");
    if (
      await page.evaluate(`(() => { const el = document.activeElement; return !!el && (${predicate}); })()`)
    )
      return presses;
  }
  throw new Error(`no focusable element matching ${predicate} within ${max} Tab presses`);
}

/** Waits until the focused element is a `tagName` (focus moved by an effect after rendering). */
export async function focusReaches(page: Page, tagName: string): Promise<void> {
  await expect
    .poll(() => page.evaluate("document.activeElement ? document.activeElement.tagName : ''"), {
      timeout: 5_000,
    })
    .toBe(tagName);
}

/** A full-page screenshot into docs/screenshots/<name>.png (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** A dictionary text with its `{placeholders}` filled. */
export const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
