import { expect, test } from "@playwright/test";
import { BUYER, hydrated, signIn } from "./helpers";

test("comparing two versions: word highlights, next/previous change, two views", async ({ page }) => {
  // The buyer: the contributions beside the changes are the dialogue's, not the public's.
  await signIn(page, BUYER);
  await page.goto("/");
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await page.getByRole("link", { name: "Comparer avec la version 1" }).click();
  await expect(page).toHaveURL(/\/comparer\?de=1&a=2$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 2, name: "Version 1 → version 2" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "1 ajoutée(s)" })).toBeVisible();

  const added = page.locator("article.change--added");
  await expect(added).toContainText("8 bis Astreinte lors des scrutins");
  await expect(page.locator("article.change--modified ins").first()).toBeVisible();
  await expect(page.locator("article.change--modified del").first()).toBeVisible();
  await expect(page.locator("details.unchanged").first()).toContainText("inchangée");
  await expect(page.getByRole("region", { name: "Critères d'attribution" })).toContainText("Performance environnementale");
  // The demo's contributions on version 1 beside the changes that followed them.
  const followed = page.locator("article.change").filter({ hasText: "3 Maintenance préventive" }).locator(".followed");
  await expect(followed).toContainText("1 contribution sur cette clause avant ce changement");
  await expect(followed).toContainText("Entreprise A");
  await expect(followed).toContainText("Texte modifié depuis");
  await page.screenshot({ path: "screenshots/compare.png", fullPage: true });

  // Next / previous with the buttons, then the keyboard.
  await page.getByRole("button", { name: "Modification suivante →" }).click();
  const first = page.locator("article.change").first();
  await expect(first).toBeFocused();
  await page.keyboard.press("n");
  await expect(page.locator("article.change").nth(1)).toBeFocused();
  await page.keyboard.press("p");
  await expect(first).toBeFocused();

  // Inline view: one column with deletions and insertions.
  await page.getByRole("button", { name: "En ligne" }).click();
  await expect(page.getByRole("button", { name: "En ligne" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator(".change__sides").first()).toBeHidden();
  await expect(page.locator("article.change--modified > .change__text ins").first()).toBeVisible();
  await page.screenshot({ path: "screenshots/compare-inline.png", fullPage: false });

  // The text reads as formatted text (no Markdown marks), the changes struck and underlined;
  // the Markdown written stays one click away.
  const modified = page.locator("article.change--modified").first();
  await expect(modified.locator(".change__text:visible .change__prose")).toBeVisible();
  expect(await modified.locator(".change__text:visible").innerText()).not.toMatch(/^#+ /m);
  const del = page.locator("article.change--modified del").first();
  expect(await del.evaluate((e) => getComputedStyle(e).textDecorationLine)).toContain("line-through");
  expect(await del.evaluate((e) => getComputedStyle(e, "::before").content)).toContain("supprimé");
  const ins = page.locator("article.change--modified ins").first();
  expect(await ins.evaluate((e) => getComputedStyle(e).textDecorationLine)).toContain("underline");
  await page.getByRole("button", { name: "Markdown" }).click();
  await expect(page.getByRole("button", { name: "Markdown" })).toHaveAttribute("aria-pressed", "true");
  await expect(modified.locator(".change__text:visible pre")).toBeVisible();
  await expect(modified.locator(".change__prose")).toHaveCount(0);
  await page.getByRole("button", { name: "Mis en forme" }).click();
  await expect(modified.locator(".change__text:visible .change__prose")).toBeVisible();

  // A folded run of unchanged clauses opens on their text, fetched on demand.
  const run = page.locator("details.unchanged").first();
  await expect(run.locator("summary")).toContainText(/clause\(s\) inchangée\(s\) : /);
  await run.locator("summary").click();
  const texts = run.locator(".unchanged__texts");
  await expect(texts.locator("h3, h4").first()).toBeVisible();
  await expect(texts.locator("p").first()).not.toBeEmpty();
  await expect(run.locator("ul")).toHaveCount(0);
  await run.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "screenshots/compare-unfolded.png", fullPage: false });

  // Folded again from its end; its summary is back in view, below the sticky bar.
  await run.getByRole("button", { name: "Replier ces clauses" }).click();
  await expect(run).not.toHaveAttribute("open");
  await expect(run.locator("summary")).toBeInViewport();
  const bar = await page.locator(".compare__bar").boundingBox();
  const summary = await run.locator("summary").boundingBox();
  expect(summary!.y).toBeGreaterThanOrEqual(bar!.y + bar!.height - 1);
});
