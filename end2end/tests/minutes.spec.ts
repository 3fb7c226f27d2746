import { expect, test } from "@playwright/test";
import { BUYER, hydrated, signIn } from "./helpers";

// Minutes of oral exchanges: the buyer records a call linked to a clause and publishes it; a
// participating company sees it in the margin of that clause without reloading, then reads it
// (on a phone too).

const PARTICIPANT = "numerique@demo.jesaisfaire.fr"; // « Entreprise B » in the demo

test("the buyer publishes minutes linked to a clause; a participant sees them live in the margin", async ({ page, browser }) => {
  test.setTimeout(60_000);
  // The company reads the consultation, on a phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const company = await phone.newPage();
  await signIn(company, PARTICIPANT);
  await company.goto("/");
  await company.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await hydrated(company);
  const clause = company.locator("section.clause").filter({ has: company.locator('[data-clause="astreinte-lors-des-scrutins"]') });
  await expect(clause.locator(".margin-minutes")).toHaveCount(0);
  // The page fits the phone's 390 px (nothing to scroll sideways; a phone would otherwise zoom
  // the whole page out): the criteria table scrolls inside its own box.
  expect(await company.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The buyer records the call.
  await signIn(page, BUYER);
  await page.goto("/");
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await hydrated(page);
  await page.getByRole("link", { name: "Comptes rendus", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Comptes rendus des échanges oraux");
  await hydrated(page);
  await page.getByRole("button", { name: "Nouveau compte rendu" }).click();
  await page.getByLabel("Date de la réunion").fill("2026-12-02");
  await page.getByLabel("Heure de début").fill("09:00");
  await page.getByLabel("Durée (minutes)").fill("30");
  await page.getByLabel("Visioconférence").check();
  await page.getByLabel("Entreprise B").check();
  await page.getByLabel("Agents présents pour l'acheteur").fill("Claire Moreau (acheteuse), M. Roy (DSI)");
  // A future date is refused with what to change, and nothing typed is lost.
  await page.getByLabel("Date de la réunion").fill("2026-12-20");
  await page.getByLabel("Compte rendu (Markdown)").fill("L'entreprise demande si **l'astreinte** couvre aussi les scrutins partiels.\n\nRéponse : oui, tous les scrutins.");
  await page.getByLabel("Clauses et critères discutés").fill("astreinte");
  await page.getByRole("button", { name: "+ 8 bis Astreinte lors des scrutins" }).click();
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await expect(page.getByRole("alert")).toContainText("n'a pas encore eu lieu");
  await expect(page.getByLabel("Compte rendu (Markdown)")).toHaveValue(/scrutins partiels/);
  await page.getByLabel("Date de la réunion").fill("2026-12-02");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  const item = page.locator("li.minutes").filter({ hasText: "Réunion du 2 décembre 2026 à 9 h 00" });
  await expect(item.getByText("Brouillon — non publié")).toBeVisible();
  await expect(item.getByRole("link", { name: "8 bis Astreinte lors des scrutins" })).toBeVisible();
  await page.screenshot({ path: "screenshots/minutes-draft.png", fullPage: true });
  await item.getByRole("button", { name: "Publier à toutes les entreprises participantes" }).click();
  await expect(item.getByText("Publié", { exact: true })).toBeVisible();

  // The company's page shows it in the clause's margin, without a reload.
  const link = clause.getByRole("link", { name: "Compte rendu du 2 décembre 2026" });
  await expect(link).toBeVisible();
  await expect(clause.locator(".margin-minutes")).toContainText("visioconférence avec Entreprise B");
  await clause.scrollIntoViewIfNeeded();
  await company.screenshot({ path: "screenshots/minutes-margin-phone.png" });
  await link.click();
  await expect(company.getByRole("heading", { level: 1 })).toHaveText("Comptes rendus des échanges oraux");
  await expect(company.locator("li.minutes").first()).toContainText("tous les scrutins");
  await expect(company.getByRole("button", { name: "Nouveau compte rendu" })).toHaveCount(0);
  await company.screenshot({ path: "screenshots/minutes-phone.png", fullPage: true });
  await phone.close();
});
