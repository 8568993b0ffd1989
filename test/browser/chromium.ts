// Debian's Chromium driven by playwright-core (`npx playwright install` cannot download browsers
// here). Each run gets a fresh profile; screenshots go to test-output/screenshots/.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.SATCHEL_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve(import.meta.dirname, "../../test-output/screenshots");

export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available) {
    if (process.env.CI === "true") throw new Error(`Chromium is required on CI (apt-get install chromium): ${CHROMIUM} is missing`);
    console.warn(`\n!!! ${CHROMIUM} is not installed: the browser tests are SKIPPED. apt-get install chromium\n`);
  }
  return available;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** A second page with its own cookies (another person). */
  newPerson(): Promise<{ page: Page; close(): Promise<void> }>;
  /** Every Content-Security-Policy violation any page of this browser reported. */
  cspViolations: string[];
  close(): Promise<void>;
}

const ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];

// Reported by the page itself (the event) and by Chromium (its console message).
const REPORT_CSP_VIOLATIONS = `document.addEventListener("securitypolicyviolation", (event) => console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI));`;

export async function openBrowser(): Promise<Browser> {
  const profiles: string[] = [];
  const cspViolations: string[] = [];
  const launch = async () => {
    const profile = await mkdtemp(path.join(tmpdir(), "satchel-chromium-"));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 800 } });
    await context.addInitScript(REPORT_CSP_VIOLATIONS);
    context.on("console", (message) => {
      if (/CSP violation|Content Security Policy/i.test(message.text())) cspViolations.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
    });
    return context;
  };
  const context = await launch();
  const page = context.pages()[0] ?? (await context.newPage());
  const others: BrowserContext[] = [];
  return {
    context,
    page,
    cspViolations,
    async newPerson() {
      const other = await launch();
      others.push(other);
      return { page: other.pages()[0] ?? (await other.newPage()), close: () => other.close() };
    },
    async close() {
      await Promise.all([context, ...others].map((ctx) => ctx.close().catch(() => undefined)));
      await Promise.all(profiles.map((profile) => rm(profile, { recursive: true, force: true })));
    },
  };
}

export async function screenshot(page: Page, name: string, options: { width?: number; fullPage?: boolean } = {}): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  const previous = page.viewportSize();
  if (options.width) await page.setViewportSize({ width: options.width, height: 800 });
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  if (options.width && previous) await page.setViewportSize(previous);
  return file;
}
