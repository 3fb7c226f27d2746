import { expect, test, type Page } from "@playwright/test";
import { BUYER, PASSWORD, hydrated, signIn } from "./helpers";

const COMPANY = "entreprise@demo.jesaisfaire.fr";

// The buyer's answers and decisions are form posts (ActionForm): they work with and without
// WebAssembly. A card's forms are drawn when its link is followed (`?repondre=ID`), one card at a
// time: a page with a form field on each card is slow to load. Both journeys act on the demo's
// open contribution of version 2 of the maintenance consultation, one after the other.
const MAINTENANCE = /Maintenance du parc informatique/;

// Both act on the same contribution: one after the other.
test.describe.configure({ mode: "serial" });

// The reply and decision fields of every card on the page.
const cardFields = (page: Page) => page.locator("article.contribution textarea, article.contribution select");

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
    const number = id.replace("contribution-", "");
    // No field on any card until one is asked for: a link on each.
    await expect(cardFields(page)).toHaveCount(0);
    await card.getByRole("link", { name: "Répondre ou décider" }).click();
    // The server draws that card's forms, and the browser takes the keyboard there.
    await expect(page).toHaveURL(new RegExp(`/consultations/\\d+\\?repondre=${number}$`));
    await expect(cardFields(page)).toHaveCount(2);
    await expect(card.getByLabel("Votre réponse")).toBeFocused();
    const answer = "Réponse envoyée sans JavaScript : la garantie de temps de rétablissement reste à 8 heures.";
    await card.getByLabel("Votre réponse").fill(answer);
    await card.getByRole("button", { name: "Répondre" }).click();
    // The server sends the page back, with the answer in the thread and the forms still there.
    await expect(page).toHaveURL(new RegExp(`/consultations/\\d+\\?repondre=${number}$`));
    await expect(page.locator(`#${id} .thread`)).toContainText(answer);
    await page.locator(`#${id}`).getByLabel("Décision").selectOption("rejected");
    await page.locator(`#${id}`).getByRole("button", { name: "Enregistrer la décision" }).click();
    await expect(page.locator(`#${id} .badge--contribution-rejected`)).toHaveText("Non retenue");
    await page.locator(`#${id}`).screenshot({ path: "screenshots/decision-no-js.png" });
    // « Fermer » puts them away.
    await page.locator(`#${id}`).getByRole("link", { name: "Fermer" }).click();
    await expect(page).toHaveURL(new RegExp(`/consultations/\\d+#${id}$`));
    await expect(cardFields(page)).toHaveCount(0);
  });
});

test("with JavaScript the buyer's decision updates the card in place", async ({ page }) => {
  await signIn(page, BUYER);
  await page.goto("/");
  await hydrated(page);
  const id = await openCard(page);
  const card = page.locator(`#${id}`);
  // The link draws the forms in place, without a new page (the router follows it), and the
  // keyboard goes to the reply.
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  await expect(cardFields(page)).toHaveCount(0);
  await card.getByRole("link", { name: "Répondre ou décider" }).click();
  await expect(card.getByLabel("Votre réponse")).toBeFocused();
  await expect(page).toHaveURL(/\?repondre=\d+$/);
  await expect(cardFields(page)).toHaveCount(2);
  await card.screenshot({ path: "screenshots/reply-forms-open.png" });
  // What is typed and not sent is kept when the forms are put away and drawn again.
  const draft = "Brouillon : vérifier ce délai avec le service achats.";
  await card.getByLabel("Votre réponse").fill(draft);
  await card.getByRole("link", { name: "Fermer" }).click();
  await expect(cardFields(page)).toHaveCount(0);
  await card.getByRole("link", { name: "Répondre ou décider" }).click();
  await expect(card.getByLabel("Votre réponse")).toHaveValue(draft);
  await card.getByLabel("Décision").selectOption("accepted");
  await card.getByRole("button", { name: "Enregistrer la décision" }).click();
  await expect(page.locator(`#${id} .badge--contribution-accepted`)).toHaveText("Retenue");
  const answer = "Nous retenons votre proposition pour la version 3.";
  await page.locator(`#${id}`).getByLabel("Votre réponse").fill(answer);
  await page.locator(`#${id}`).getByRole("button", { name: "Répondre" }).click();
  await expect(page.locator(`#${id} .thread`)).toContainText(answer);
  // The form is emptied once the answer is recorded.
  await expect(page.locator(`#${id}`).getByLabel("Votre réponse")).toHaveValue("");
  // « Fermer » puts the forms away; the keyboard goes back to the link that drew them.
  await page.locator(`#${id}`).getByRole("link", { name: "Fermer" }).click();
  await expect(cardFields(page)).toHaveCount(0);
  await expect(page.locator(`#${id}`).getByRole("link", { name: "Répondre ou décider" })).toBeFocused();
  await expect(page).not.toHaveURL(/repondre/);
  // The browser's back button draws them again.
  await page.goBack();
  await expect(page.locator(`#${id}`).getByLabel("Votre réponse")).toBeVisible();
  // The answer was sent: no draft comes back.
  await expect(page.locator(`#${id}`).getByLabel("Votre réponse")).toHaveValue("");
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
});

test("a company asks, from its own card, for a passage to be kept out of the public dossier", async ({ page }) => {
  await signIn(page, COMPANY);
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: MAINTENANCE }).click();
  const mine = page.locator("article.contribution--mine").first();
  await expect(mine).toContainText("(vous)");
  // Only the link until it is followed: no field on the page's cards.
  await expect(cardFields(page)).toHaveCount(0);
  await expect(mine.locator("input[name=passage]")).toHaveCount(0);
  const words = ((await mine.locator(".contribution__justification").textContent()) ?? "").split(" ").slice(0, 4).join(" ");
  await mine.getByRole("link", { name: /^Secret des affaires/ }).click();
  const field = mine.getByLabel("Passage à occulter dans le dossier public, copié tel qu'il est écrit");
  await expect(field).toBeFocused();
  await field.fill(words);
  await mine.getByRole("button", { name: "Demander l'occultation" }).click();
  await expect(mine.getByRole("status")).toContainText("[passage occulté]");
  await mine.screenshot({ path: "screenshots/redaction-request-card.png" });
  await mine.getByRole("link", { name: "Fermer" }).click();
  await expect(mine.locator("input[name=passage]")).toHaveCount(0);
  await expect(mine.getByRole("link", { name: /^Secret des affaires/ })).toBeFocused();
});
