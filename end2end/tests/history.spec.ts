import { expect, test } from "@playwright/test";

test("a reviewer follows the revision history and reads an older version", async ({ page }) => {
  await page.goto("/connexion");
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await page.getByLabel("Adresse e-mail").fill("relecteur@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill("sourcing-demo-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/relecture$/);
  // The reviewer's home says what it lists (no organisation of their own: the sentence alone).
  await expect(page.locator("p.lead").first()).toHaveText("Les consultations des acheteurs que vous accompagnez, brouillons compris.");

  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await page.getByRole("link", { name: "Historique des versions" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Historique des versions");
  const versions = page.getByRole("list", { name: "Versions publiées" }).locator(":scope > li");
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText("La plus récente");
  await expect(versions.first()).toContainText("10 clauses");
  await expect(versions.nth(1)).toContainText("Première version soumise au sourcing.");
  // Each version after the first compares with the one before; the time of publication shows.
  await expect(versions.first().getByRole("link", { name: "Comparer avec la version 1" })).toHaveAttribute("href", /comparer\?de=1&a=2$/);
  await expect(versions.nth(1).getByRole("link", { name: /Comparer/ })).toHaveCount(0);
  await expect(versions.first()).toContainText(/Publiée le .+ à \d+ h \d\d/);
  await page.screenshot({ path: "screenshots/history.png", fullPage: true });

  await page.getByRole("link", { name: "Version 1", exact: true }).click();
  await expect(page).toHaveURL(/\/versions\/1$/);
  await expect(page.getByRole("heading", { name: /version 1$/ })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Vous lisez une version antérieure" })).toBeVisible();
  await expect(page.locator("article.spec__text")).toContainText("deux visites préventives par an");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Markdown", exact: true }).click();
  expect((await download).suggestedFilename()).toMatch(/^cctp-consultation-\d+-v1\.md$/);
});
