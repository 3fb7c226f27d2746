import { expect, test, type Page } from "@playwright/test";
import { BUYER, hydrated } from "./helpers";

const PASSWORD = "sourcing-demo-2026"; // the demo accounts' password (README)

const HOMES = [
  { email: "acheteuse@demo.jesaisfaire.fr", path: "/acheteur", heading: "Mes consultations", name: "Claire Moreau" },
  { email: "entreprise@demo.jesaisfaire.fr", path: "/entreprise", heading: "Espace entreprise", name: "Sophie Lambert" },
  { email: "relecteur@demo.jesaisfaire.fr", path: "/relecture", heading: "Consultations à relire", name: "Hélène Girard" },
  { email: "admin@demo.jesaisfaire.fr", path: "/admin", heading: "Administration", name: "Équipe JeSaisFaire" },
];

async function signIn(page: Page, email: string) {
  await page.goto("/connexion");
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

for (const home of HOMES) {
  test(`${home.email} lands on ${home.path} after signing in`, async ({ page }) => {
    await signIn(page, home.email);
    await expect(page).toHaveURL(new RegExp(`${home.path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(home.heading);
    await expect(page.getByRole("navigation", { name: "Navigation principale" })).toContainText(home.name);
    await page.screenshot({ path: `screenshots/home-${home.path.slice(1)}.png`, fullPage: true });
  });
}

test("the buyer's home lists the organisation's drafts too", async ({ page }) => {
  await signIn(page, "acheteuse@demo.jesaisfaire.fr");
  await expect(page).toHaveURL(/\/acheteur$/);
  const list = page.getByRole("list", { name: "Consultations" });
  await expect(list.getByText("Refonte du site internet")).toBeVisible();
  await expect(list.getByText("Brouillon", { exact: true })).toBeVisible();
});

test("a wrong password gets a clear message and no session", async ({ page }) => {
  await page.goto("/connexion");
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await page.getByLabel("Adresse e-mail").fill("acheteuse@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill("pas le bon mot de passe");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toContainText("Adresse e-mail ou mot de passe incorrect");
  await expect(page).toHaveURL(/\/connexion$/);
  await page.screenshot({ path: "screenshots/sign-in-error.png" });
});

test("a supplier opening a buyer-only page gets a clear refusal", async ({ page }) => {
  await signIn(page, "entreprise@demo.jesaisfaire.fr");
  await expect(page).toHaveURL(/\/entreprise$/);
  const response = await page.goto("/acheteur");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("alert")).toContainText("Accès refusé");
  await expect(page.getByRole("alert")).toContainText("ne donne pas accès à cette page");
  await page.screenshot({ path: "screenshots/refusal.png" });
});

test("an anonymous visitor opening the admin page signs in and comes back to it", async ({ page }) => {
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(401);
  await hydrated(page);
  await expect(page.getByRole("alert")).toContainText("Connectez-vous");
  await page.getByRole("alert").getByRole("link", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/connexion\?retour=%2Fadmin$/);
  await page.getByLabel("Adresse e-mail").fill("admin@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Accès refusé");
});

test("signing in from the header comes back to the page being read; a signed-out account page offers the form", async ({ page }) => {
  await page.goto("/consultations/1/historique");
  await hydrated(page);
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/connexion\?retour=%2Fconsultations%2F1%2Fhistorique$/);
  await page.getByLabel("Adresse e-mail").fill(BUYER);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/consultations\/1\/historique$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Historique des versions");

  // Another site is never a place to come back to.
  await page.context().clearCookies();
  await page.goto("/connexion?retour=%2F%2Fevil.example%2F");
  await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill(BUYER);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/acheteur$/);

  await page.context().clearCookies();
  const response = await page.goto("/compte");
  expect(response?.status()).toBe(401);
  await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill(BUYER);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/compte$/);
  await expect(page.getByRole("heading", { name: "Changer de mot de passe" })).toBeVisible();
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "relecteur@demo.jesaisfaire.fr");
  await expect(page).toHaveURL(/\/relecture$/);
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page.getByRole("link", { name: "Se connecter" })).toBeVisible();
  const response = await page.goto("/relecture");
  expect(response?.status()).toBe(401);
});

test("the agenda link is shown once, says until when it works, and can be revoked", async ({ page }) => {
  await signIn(page, "numerique@demo.jesaisfaire.fr");
  await expect(page).toHaveURL(/\/entreprise$/);
  await page.goto("/compte");
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await expect(page.locator("#agenda-status")).toHaveText("Vous n'avez pas de lien d'abonnement actif.");
  await page.getByRole("button", { name: "Créer mon lien d'abonnement" }).click();
  const link = page.getByLabel(/Votre lien \(affiché une seule fois/);
  await expect(link).toHaveValue(/\/agenda\/[0-9a-f]{64}\/calendrier\.ics$/);
  // The test server's clock is fixed on 2 December 2026 (scripts/e2e-server.sh): a year later.
  await expect(page.locator("#agenda-status")).toContainText("fonctionne jusqu'au 2 décembre 2027");
  const url = new URL(await link.inputValue());
  expect((await page.request.get(url.pathname)).status()).toBe(200);
  await page.screenshot({ path: "screenshots/account-agenda.png", fullPage: true });
  await page.getByRole("button", { name: "Désactiver mon lien" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Votre lien d'abonnement est désactivé." })).toBeVisible();
  await expect(page.locator("#agenda-status")).toHaveText("Vous n'avez pas de lien d'abonnement actif.");
  expect((await page.request.get(url.pathname)).status()).toBe(404);
});

test("home pages say what waits: answers to give, phases ending, drafts; for a company, its deadlines", async ({ page }) => {
  await signIn(page, BUYER);
  await expect(page).toHaveURL(/\/acheteur$/);
  const toDo = page.getByRole("region", { name: "À traiter" });
  await expect(toDo.getByRole("heading", { name: "Contributions à traiter" })).toBeVisible();
  await expect(toDo).toContainText(/contributions? attend(ent)? votre réponse/);
  await expect(toDo.getByRole("heading", { name: "Échéances" })).toBeVisible();
  await expect(toDo).toContainText("Échanges : fin le");
  await expect(toDo.getByRole("heading", { name: "Brouillons" })).toBeVisible();
  await page.screenshot({ path: "screenshots/home-buyer.png", fullPage: false });
  await toDo.getByRole("link", { name: /attend(ent)? votre réponse/ }).first().click();
  await expect(page).toHaveURL(/\/consultations\/\d+\/contributions$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Synthèse des contributions");

  await page.context().clearCookies();
  await signIn(page, "entreprise@demo.jesaisfaire.fr");
  await expect(page).toHaveURL(/\/entreprise$/);
  const company = page.getByRole("region", { name: "À traiter" });
  await expect(company).toContainText("Échanges : fin le");
  await expect(company).not.toContainText("Brouillons");
  await expect(company).not.toContainText("votre réponse");
  await page.screenshot({ path: "screenshots/home-company.png", fullPage: false });
});
