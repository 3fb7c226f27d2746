import { expect, test, type Page } from "@playwright/test";
import { BUYER, createConsultation, hydrated, signIn } from "./helpers";

// The sourcing record: the dialogue is not public; a reader of an older version is told live
// that a newer one is published; the buyer asks for the validation of the final version, the
// platform's reviewer notes a clause and signs off, the buyer hands the consultation over.

const REVIEWER = "relecteur@demo.jesaisfaire.fr";
const V1 = `# Entretien des espaces verts

## 1 Objet

Entretien des espaces verts de trois sites de la préfecture.

## 2 Tonte

Tonte toutes les deux semaines d'avril à octobre.
`;
const V2 = V1.replace("deux semaines", "trois semaines");

async function publish(page: Page, number: number, text: string, changelog?: string) {
  await page.getByLabel("Texte (Markdown)").fill(text);
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  if (changelog) {
    await page.getByLabel("Ce qui change dans cette version (obligatoire)").fill(changelog);
  }
  await page.getByRole("button", { name: `Publier la version ${number}` }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText(`Version ${number} publiée.`)).toBeVisible();
}

async function step(page: Page, button: string) {
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByRole("button", { name: button })).toHaveCount(0);
}

test("the dialogue is for participants: a visitor reads the text, not the contributions", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await hydrated(page);
  await expect(page.locator("article.spec__text")).toContainText("Maintenance préventive");
  await expect(page.getByRole("region", { name: "Contributions" })).toContainText(
    "Les contributions sont réservées à l'acheteur, à ses relecteurs et aux entreprises qui participent",
  );
  await expect(page.locator("article.contribution")).toHaveCount(0);
  const csv = await page.request.get(page.url() + "/contributions.csv");
  expect(csv.status()).toBe(401);
});

test("a new version reaches readers live; review, sign-off and hand-over", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, BUYER);
  const editor = await createConsultation(page, "Espaces verts (relecture et validation)");
  const consultation = editor.replace(/\/rediger$/, "");
  await publish(page, 1, V1);
  await page.goto(consultation);
  await hydrated(page);
  await step(page, "Annoncer la consultation");

  // A visitor reads version 1; version 2 is announced to them without a reload.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${consultation}/versions/1`);
  await hydrated(visitor);
  await expect(visitor.getByRole("heading", { name: /version 1$/ })).toBeVisible();
  await page.goto(editor);
  await hydrated(page);
  await publish(page, 2, V2, "Tonte toutes les trois semaines.");
  const banner = visitor.getByRole("status").filter({ hasText: "la version 2 est publiée" });
  await expect(banner).toBeVisible();
  await visitor.screenshot({ path: "screenshots/new-version-banner.png" });
  await banner.getByRole("link", { name: "Comparer avec la version 1" }).click();
  await expect(visitor).toHaveURL(/comparer\?de=1&a=2/);

  // The buyer closes the exchanges and asks for the validation of version 2.
  await page.goto(consultation);
  await hydrated(page);
  await step(page, "Ouvrir l'appel à participation");
  await step(page, "Ouvrir la phase d'échanges");
  await step(page, "Clore les échanges et rédiger le CCTP final");
  await page.getByRole("link", { name: "Relecture : demander la validation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Relecture et validation");
  await hydrated(page);
  await page.getByRole("button", { name: "Demander la validation" }).click();
  // An empty message is stopped by the browser (and refused by the server).
  const missing = await page.getByLabel("Message au relecteur").evaluate((e) => (e as HTMLTextAreaElement).validity.valueMissing);
  expect(missing).toBe(true);
  await page.getByLabel("Message au relecteur").fill("Version finale après les échanges : merci de vérifier la clause de tonte.");
  await page.getByRole("button", { name: "Demander la validation" }).click();
  await expect(page.locator(".review").first()).toContainText("En attente de décision");

  // The reviewer, on a phone: the request on the home page, a note on a clause, the sign-off.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const reviewer = await phone.newPage();
  await signIn(reviewer, REVIEWER);
  await reviewer.goto("/relecture");
  const pending = reviewer.getByRole("region", { name: "Demandes de validation en attente" });
  await pending.getByRole("link", { name: /Espaces verts \(relecture et validation\) — version 2/ }).click();
  await expect(reviewer.getByRole("heading", { level: 1 })).toHaveText("Relecture et validation");
  await hydrated(reviewer);
  await reviewer.getByLabel("Clause").selectOption({ label: "2 Tonte" });
  await reviewer.getByLabel("Remarque").fill("Préciser la hauteur de coupe.");
  await reviewer.getByRole("button", { name: "Enregistrer la remarque" }).click();
  await expect(reviewer.locator(".review__notes")).toContainText("Préciser la hauteur de coupe.");
  await reviewer.getByLabel("Validée").check();
  await reviewer.getByLabel("Message à l'acheteur").fill("Conforme aux échanges.");
  await reviewer.screenshot({ path: "screenshots/review-phone.png", fullPage: true });
  await reviewer.getByRole("button", { name: "Enregistrer la décision" }).click();
  await expect(reviewer.locator(".review").first()).toContainText("Validée par Hélène Girard");
  await expect(reviewer.getByRole("status").filter({ hasText: "La version 2 est validée" })).toBeVisible();

  // The buyer sees the decision and hands the consultation over to the tender.
  await page.reload();
  await expect(page.locator(".review").first()).toContainText("Préciser la hauteur de coupe.");
  await expect(page.locator(".review").first()).toContainText("Validée");
  await page.screenshot({ path: "screenshots/review-buyer.png", fullPage: true });
  await page.goto(consultation);
  await hydrated(page);
  await step(page, "Transmettre à la consultation (appel d'offres)");
  await expect(page.locator(".consultation-header .badge").first()).toHaveText("Transmise à la consultation");
  await page.goto(`${consultation}/historique`);
  await expect(page.getByRole("list", { name: "Relecture" }).first()).toContainText("Validée");
  await page.goto(`${consultation}/registres`);
  await expect(page.getByRole("heading", { name: "Registre des accès" })).toBeVisible();
  await page.screenshot({ path: "screenshots/registers.png", fullPage: true });
});
