/** Axe checks and the screenshots a reviewer looks at (they land in e2e/screenshots/, which git ignores). */
import { expect, type Page } from "@playwright/test";

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Axe finds no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(" | ")}`,
    ),
  ).toEqual([]);
}

/** A screenshot named `name` (full page unless said otherwise). */
export async function takeScreenshot(page: Page, name: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage });
}

/** Axe and a full-page screenshot at desktop width and then at phone width; the page is left at desktop width. */
export async function expectAccessibleAtBothWidths(page: Page, name: string): Promise<void> {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await expectAccessible(page, `${name}@${size.width}`);
    await takeScreenshot(page, `${name}-${size.width}`);
  }
  await page.setViewportSize(DESKTOP);
}
