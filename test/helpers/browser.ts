// Debian's Chromium driven by playwright-core, for the playground's tests.
// .ci/run installs the `chromium` package; without it these tests fail and
// say so rather than skip.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.EASEL_TEST_CHROMIUM ?? "/usr/bin/chromium";

/** Where the tests write a screenshot of each view (docs/playground.md shows copies of them). */
export const SCREENSHOTS_DIR = process.env.EASEL_SCREENSHOTS_DIR ?? join(process.cwd(), "test-results", "playground");

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set EASEL_TEST_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/** A fresh browser profile (its own IndexedDB and localStorage) on the server's page, with errors the page throws collected. */
export async function openPlayground(browser: Browser, origin: string, options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    // A refused request (a 401 for a bad key, say) is logged by the browser itself; the page shows those.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) pageErrors.push(message.text());
  });
  await page.goto(`${origin}/`);
  return { context, page, pageErrors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The page's WCAG 2 A and AA failures as axe-core finds them (labels,
 * contrast, roles, names). axe is evaluated through the DevTools protocol,
 * which the page's content security policy does not govern.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }));
  });
}
