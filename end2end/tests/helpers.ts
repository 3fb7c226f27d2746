import { expect, type Page } from "@playwright/test";

export const PASSWORD = "sourcing-demo-2026"; // the demo accounts' password (README)
export const BUYER = "acheteuse@demo.jesaisfaire.fr";

export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

export async function signIn(page: Page, email: string) {
  await page.goto("/connexion");
  await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("navigation", { name: "Navigation principale" })).toContainText("Se déconnecter");
}

/** Creates a consultation through the form and returns the editor's URL. */
export async function createConsultation(page: Page, title: string): Promise<string> {
  await page.goto("/acheteur");
  await hydrated(page);
  await page.getByRole("link", { name: "Nouvelle consultation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nouvelle consultation");
  await page.getByLabel("Intitulé").fill(title);
  await page.getByLabel("Objet du besoin").fill("Tonte, taille et désherbage sans produits phytosanitaires sur trois sites.");
  await page.getByLabel("Codes CPV").fill("77310000-6");
  await page.getByLabel("Départements").fill("77");
  await page.getByLabel("Date prévue de l'appel d'offres (facultatif)").fill("2030-03-01");
  await page.getByRole("button", { name: "Créer et rédiger le cahier des charges" }).click();
  await expect(page).toHaveURL(/\/consultations\/\d+\/rediger$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rédaction du cahier des charges");
  return page.url();
}

