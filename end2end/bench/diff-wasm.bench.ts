// The Code civil diff (2013 → 2015) computed in the browser (WebAssembly) by the editor's live
// diff: the buyer has published the 2013 text and types the 2015 one. The editor times its own
// work with the browser's clock (data-total-ms: parse, carry the ids, diff; data-diff-ms: the
// diff alone). Run by scripts/bench-diff-wasm.sh; prints the figures.
//
// The texts go in through the editor's « Importer un fichier .md » (what a buyer does with a
// 1 MB document). Playwright's `fill` types through Chromium's editing commands instead, which
// take minutes on a 1.1 MB, 10,000-line text: that measures Chromium, not the application.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { BUYER, createConsultation, signIn } from "../tests/helpers";

const dir = `${__dirname}/../../tests/data/code-civil`;
const V2013 = readFileSync(`${dir}/v2013-01-01.md`, "utf8");
const V2015 = readFileSync(`${dir}/v2015-03-22.md`, "utf8");

test("Code civil diff in Chromium", async ({ page }) => {
  await signIn(page, BUYER);
  await createConsultation(page, "Banc d'essai : Code civil");
  const file = page.locator('input[type="file"]');
  const load = async (name: string, text: string) => {
    await file.setInputFiles({ name, mimeType: "text/markdown", buffer: Buffer.from(text) });
    await expect(page.getByText(`« ${name} »`)).toBeVisible({ timeout: 60_000 });
  };
  const started = Date.now();
  await load("code-civil-2013.md", V2013);
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible({ timeout: 60_000 });
  console.log(`import of the 2013 text, preview and save: ${Date.now() - started} ms`);
  await page.getByRole("button", { name: "Publier la version 1" }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText("Version 1 publiée.")).toBeVisible({ timeout: 60_000 });
  const live = page.locator("section.live-diff");
  const runs: { total: number; diff: number }[] = [];
  for (let i = 0; i < 7; i++) {
    // A different text each time, so that the diff is recomputed; the 79 changes stay.
    await load(`code-civil-2015-${i}.md`, `${V2015}${"\n".repeat(i + 1)}`);
    await expect(live.getByRole("status")).toContainText("9 ajoutée(s)", { timeout: 60_000 });
    await expect(live).toContainText("70 modifiée(s)");
    const total = Number(await live.getAttribute("data-total-ms"));
    const diff = Number(await live.getAttribute("data-diff-ms"));
    runs.push({ total, diff });
    await load(`code-civil-2013-${i}.md`, V2013);
    await expect(live.getByRole("status")).toContainText("0 ajoutée(s)", { timeout: 60_000 });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const total = median(runs.map((r) => r.total));
  const diff = median(runs.map((r) => r.diff));
  console.log(`Code civil 2013 → 2015 in Chromium (WebAssembly), median of ${runs.length}: diff ${diff} ms; parse + carry ids + diff ${total} ms`);
  console.log(JSON.stringify(runs));
  expect(diff).toBeGreaterThan(0);
});

// What a buyer who pastes the whole Code civil into the text area waits for: the paste itself
// (Chromium's editing), then the preview, outline and save.
test("pasting 1.1 MB into the editor", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, BUYER);
  await createConsultation(page, "Banc d'essai : collage");
  const text = page.getByLabel("Texte (Markdown)");
  await page.evaluate((t) => navigator.clipboard.writeText(t), V2015);
  await text.focus();
  await page.keyboard.press("Control+A");
  const started = Date.now();
  await page.keyboard.press("Control+V");
  await expect(page.locator(".editor__outline")).toContainText("2802 clauses", { timeout: 200_000 });
  const shown = Date.now() - started;
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible({ timeout: 60_000 });
  console.log(`paste of the 2015 text: preview and outline after ${shown} ms, saved after ${Date.now() - started} ms`);
});
