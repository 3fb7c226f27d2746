import { expect, test, type Page } from "@playwright/test";
import { BUYER, PASSWORD, hydrated, signIn } from "./helpers";

// The buyer's answers and decisions are form posts (ActionForm): they work with and without
// WebAssembly. Both journeys act on the demo's open contribution of version 2 of the maintenance
// consultation, one after the other.
const MAINTENANCE = /Maintenance du parc informatique/;

// Both act on the same contribution: one after the other.
test.describe.configure({ mode: "serial" });

async function openCard(page: Page) {
  await page.getByRole("link", { name: MAINTENANCE }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Maintenance du parc informatique");
  // The contribution on version 2 (the others were made on version 1).
  const card = page.locator("article.contribution").filter({ hasText: "Version 2 ·" }).first();
  await expect(card).toBeVisible();
  const id = await card.getAttribute("id");
  expect(id).toMatch(/^contribution-\d+$/);
  return id!;
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the buyer answers a contribution and records a decision", async ({ page }) => {
    await page.goto("/connexion");
    await page.getByLabel("Adresse e-mail").fill(BUYER);
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page).toHaveURL(/\/acheteur$/);
    await page.goto("/");
    const id = await openCard(page);
    const card = page.locator(`#${id}`);
    const answer = "Réponse envoyée sans JavaScript : la garantie de temps de rétablissement reste à 8 heures.";
    await card.getByLabel("Votre réponse").fill(answer);
    await card.getByRole("button", { name: "Répondre" }).click();
    // The server sends the page back, with the answer in the thread.
    await expect(page).toHaveURL(/\/consultations\/\d+\??$/);
    await expect(page.locator(`#${id} .thread`)).toContainText(answer);
    await page.locator(`#${id}`).getByLabel("Décision").selectOption("rejected");
    await page.locator(`#${id}`).getByRole("button", { name: "Enregistrer la décision" }).click();
    await expect(page.locator(`#${id} .badge--contribution-rejected`)).toHaveText("Non retenue");
    await page.locator(`#${id}`).screenshot({ path: "screenshots/decision-no-js.png" });
  });
});

test("with JavaScript the buyer's decision updates the card in place", async ({ page }) => {
  await signIn(page, BUYER);
  await page.goto("/");
  await hydrated(page);
  const id = await openCard(page);
  const card = page.locator(`#${id}`);
  await card.getByLabel("Décision").selectOption("accepted");
  await card.getByRole("button", { name: "Enregistrer la décision" }).click();
  await expect(page.locator(`#${id} .badge--contribution-accepted`)).toHaveText("Retenue");
  const answer = "Nous retenons votre proposition pour la version 3.";
  await page.locator(`#${id}`).getByLabel("Votre réponse").fill(answer);
  await page.locator(`#${id}`).getByRole("button", { name: "Répondre" }).click();
  await expect(page.locator(`#${id} .thread`)).toContainText(answer);
  // The form is emptied once the answer is recorded.
  await expect(page.locator(`#${id}`).getByLabel("Votre réponse")).toHaveValue("");
});
