import { expect, test } from "@playwright/test";

// The pages are rendered on the server: without JavaScript everything is there to read.
test.use({ javaScriptEnabled: false });

test("the list is complete without JavaScript", async ({ page }) => {
  await page.goto("/");
  const cards = page.getByRole("list", { name: "Consultations" }).locator(":scope > li");
  // The public demo consultations (journeys running alongside may announce others), no draft.
  await expect(cards.filter({ hasText: "Maintenance du parc informatique" })).toContainText("Préfecture de Seine-et-Marne");
  await expect(cards.filter({ hasText: "Location longue durée de véhicules électriques" })).toHaveCount(1);
  await expect(page.getByText("Refonte du site internet")).toHaveCount(0);
});

test("a consultation and its specification are readable without JavaScript", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Maintenance du parc informatique");
  await expect(page.locator("article.spec__text")).toContainText("Le présent marché a pour objet");
  await expect(page.locator("article.spec__text h4")).toHaveCount(10);
  await page.screenshot({ path: "screenshots/consultation-no-js.png", fullPage: false });
});

test("signing in works without JavaScript", async ({ page }) => {
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill("acheteuse@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill("sourcing-demo-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/acheteur$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mes consultations");
});

test("without JavaScript a wrong password comes back to the form with the message", async ({ page }) => {
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill("acheteuse@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill("mauvais mot de passe");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/connexion/);
  await expect(page.getByRole("alert")).toContainText("Adresse e-mail ou mot de passe incorrect");
});

test("without JavaScript a buyer creates a consultation and reaches its editor", async ({ page }) => {
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill("acheteuse@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill("sourcing-demo-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("link", { name: "Nouvelle consultation" }).click();
  await page.getByLabel("Intitulé").fill("Entretien des espaces verts (sans JavaScript)");
  await page.getByLabel("Objet du besoin").fill("Tonte et taille sur trois sites.");
  await page.getByLabel("Codes CPV").fill("7731");
  await page.getByLabel("Départements").fill("77");
  await page.getByRole("button", { name: "Créer et rédiger le cahier des charges" }).click();
  await expect(page.getByRole("alert")).toContainText("« 7731 » n'est pas un code CPV");

  await page.getByLabel("Intitulé").fill("Entretien des espaces verts (sans JavaScript)");
  await page.getByLabel("Objet du besoin").fill("Tonte et taille sur trois sites.");
  await page.getByLabel("Codes CPV").fill("77310000-6");
  await page.getByLabel("Départements").fill("77");
  await page.getByRole("button", { name: "Créer et rédiger le cahier des charges" }).click();
  await expect(page).toHaveURL(/\/consultations\/\d+\/rediger$/);
  await expect(page.getByLabel("Texte (Markdown)")).toHaveValue(/## 1 Objet du marché/);
  await expect(page.getByRole("region", { name: "Aperçu" })).toContainText("Objet du marché");
  // Writing needs the page to run: it says so rather than letting a text be typed and lost.
  // (Playwright turns scripts off without turning the parser's scripting flag off: <noscript> is
  // then read as text, as in a browser with JavaScript; its text is checked instead.)
  expect((await page.locator("noscript").allTextContents()).join()).toContain("La rédaction en ligne (enregistrement et publication) demande JavaScript");

  // The calendar shows its proposed values and says that saving needs JavaScript.
  await page.goto(page.url().replace(/\/rediger$/, "/calendrier"));
  await expect(page.getByLabel("Durée des échanges (jours)")).toHaveValue(/^\d+$/);
  await expect(page.getByLabel("Début du sourcing")).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  expect((await page.locator("noscript").allTextContents()).join()).toMatch(/L(&#39;|')enregistrement du calendrier demande JavaScript/);
  await expect(page.getByRole("button", { name: "Enregistrer le calendrier" })).toBeDisabled();

  // The agenda link would be created and never shown: the button waits for JavaScript.
  await page.goto("/compte");
  expect((await page.locator("noscript").allTextContents()).join()).toMatch(/La création d(&#39;|')un lien d(&#39;|')abonnement demande JavaScript/);
  await expect(page.getByRole("button", { name: /Créer (mon|un nouveau) lien/ })).toBeDisabled();
});

test("without JavaScript a company creates a retro-planning", async ({ page }) => {
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill("entreprise@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill("sourcing-demo-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/entreprise$/);
  await page.goto("/entreprise/planning");
  const title = "Appel d'offres sans JavaScript " + Date.now();
  await page.getByLabel("Appel d'offres visé").fill(title);
  await page.getByLabel("Date de remise des offres (J)").fill("2027-06-15");
  await page.getByRole("button", { name: "Créer le rétroplanning" }).click();
  await expect(page).toHaveURL(/\/entreprise\/planning\??$/);
  await expect(page.getByText(title).first()).toBeVisible();
});
