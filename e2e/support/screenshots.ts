/** Axe checks and the screenshots a reviewer looks at (they land in e2e/screenshots/, which git ignores). */
import { expect, type Page } from "@playwright/test";

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Axe finds no serious or critical violation on the page as it is now, and the page fits its width. */
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
  await expectNoSidewaysScroll(page, label);
}

/** A screenshot named `name` (full page unless said otherwise). */
export async function takeScreenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage });
}

/**
 * The page fits its width: nothing makes the whole page scroll sideways (wide tables scroll in
 * their own region). On failure, the elements that stick out are named.
 */
export async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const out = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return [];
    const inScroller = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement)
        if (getComputedStyle(p).overflowX !== "visible") return true;
      return false;
    };
    return Array.from(document.body.querySelectorAll("*"))
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScroller(el))
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${String(el.getAttribute("class") ?? "").slice(0, 60)} right=${Math.round(el.getBoundingClientRect().right)}`,
      );
  });
  expect(out, `${label}: sticks out of the page's width`).toEqual([]);
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
