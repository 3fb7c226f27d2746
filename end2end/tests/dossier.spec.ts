import { expect, test, type Page } from "@playwright/test";
import { BUYER, consultationInExchanges, hydrated, signIn } from "./helpers";

// The equal-treatment dossier: a company contributes; the buyer closes the exchanges, redacts a
// business secret and publishes the public edition; an anonymous visitor (on a phone) reads it
// without the secret and downloads the PDF.

const COMPANY = "entreprise@demo.jesaisfaire.fr";
const SECRET = "remise de 18 % négociée avec notre fournisseur";
const V1 = `# Entretien des ascenseurs

## 1 Objet

Entretien préventif des six ascenseurs de la cité administrative.

## 2 Délais

Intervention sous huit heures ouvrées en cas de panne.
`;

async function step(page: Page, button: string) {
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByRole("button", { name: button })).toHaveCount(0);
}

test("the buyer redacts a secret and publishes the dossier; a visitor downloads the PDF", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, BUYER);
  const consultation = await consultationInExchanges(page, "Ascenseurs (dossier de sourcing)", V1);

  // A company joins and contributes on clause 2.
  const company = await (await browser.newContext()).newPage();
  await signIn(company, COMPANY);
  await company.goto(consultation);
  await hydrated(company);
  await company.getByRole("button", { name: "Participer à ce sourcing" }).click();
  await expect(company.locator(".participation")).toContainText("Vous participez sous le nom Entreprise A");
  const clause = company.locator("section.clause").filter({ hasText: "Intervention sous huit heures" });
  await clause.getByRole("button", { name: "+ Contribuer sur cette clause" }).click();
  const form = company.getByRole("form", { name: "Nouvelle contribution" });
  await form.getByLabel("Solution proposée").check();
  await form.getByLabel("Justification (obligatoire)").fill(`Quatre heures sont tenables grâce à une ${SECRET}.`);
  await form.getByRole("button", { name: "Publier la contribution" }).click();
  await expect(company.locator(".contribution").filter({ hasText: "Quatre heures" })).toContainText("Entreprise A (vous)");

  // The buyer closes the exchanges, then opens the dossier (internal edition).
  await page.reload();
  await hydrated(page);
  await step(page, "Clore les échanges et rédiger le CCTP final");
  await page.getByRole("link", { name: "Dossier de sourcing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dossier de sourcing");
  await hydrated(page);
  const contribution = page.locator(".dossier__contribution").filter({ hasText: "Quatre heures" });
  // A link on each contribution, and a form only on the one asked for (a field on each of
  // hundreds of contributions made the page slow to load).
  await expect(page.locator(".dossier__contribution input")).toHaveCount(0);
  await contribution.getByRole("link", { name: "Occulter un passage (secret des affaires)" }).click();
  await expect(page).toHaveURL(/\/dossier\?edition=interne&occulter=\d+$/);
  await expect(contribution.getByLabel("Passage à occulter, copié tel qu'il est écrit")).toBeFocused();
  await expect(page.locator(".dossier__contribution input[name=passage]")).toHaveCount(1);
  // A passage that is not in the contribution is refused, with the reason.
  await contribution.getByLabel("Passage à occulter, copié tel qu'il est écrit").fill("un prix qui n'y figure pas");
  await contribution.getByRole("button", { name: "Occulter dans l'édition publique" }).click();
  await expect(page.getByRole("alert")).toContainText("ne figure pas dans la contribution");
  // The refused passage stays in the field, to be corrected.
  await expect(contribution.getByLabel("Passage à occulter, copié tel qu'il est écrit")).toHaveValue("un prix qui n'y figure pas");
  await contribution.getByLabel("Passage à occulter, copié tel qu'il est écrit").fill(SECRET);
  await contribution.getByRole("button", { name: "Occulter dans l'édition publique" }).click();
  await expect(page.locator("#dossier-redactions")).toBeVisible();
  await contribution.screenshot({ path: "screenshots/dossier-redaction-form.png" });
  // « Fermer » puts the form away and gives the keyboard back to the link.
  await contribution.getByRole("link", { name: "Fermer" }).click();
  await expect(page.locator(".dossier__contribution input")).toHaveCount(0);
  await expect(contribution.getByRole("link", { name: "Occulter un passage (secret des affaires)" })).toBeFocused();
  await expect(page).toHaveURL(/\/dossier\?edition=interne#contribution-\d+$/);
  await page.getByRole("button", { name: "Publier l'édition publique du dossier" }).click();
  await expect(page.getByText(/Édition publique publiée le/)).toBeVisible();
  await page.screenshot({ path: "screenshots/dossier-internal.png", fullPage: true });

  // A visitor, on a phone: the consultation offers the dossier; the secret is not in it.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const visitor = await phone.newPage();
  await visitor.goto(consultation);
  await hydrated(visitor);
  const pdfLink = visitor.getByRole("link", { name: "Télécharger le PDF" });
  await expect(pdfLink).toBeVisible();
  const pdf = await visitor.request.get(`${consultation}/dossier.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await visitor.getByRole("link", { name: "Lire en ligne" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Dossier de sourcing");
  await expect(visitor.locator(".dossier__contribution")).toContainText("[passage occulté]");
  await expect(visitor.getByText(SECRET)).toHaveCount(0);
  await expect(visitor.getByText("Brie Informatique")).toHaveCount(0);
  await visitor.screenshot({ path: "screenshots/dossier-public-phone.png", fullPage: true });
  await phone.close();
});
