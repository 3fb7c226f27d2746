import { expect, test } from "@playwright/test";
import { BUYER, hydrated, mailedLink, signIn } from "./helpers";

// A company registers itself: the form, the confirmation mail really sent (to the SMTP sink
// started beside the server), the link followed, the profile filled; the company then takes part
// in the open sourcing. A colleague registers with the same SIRET and waits until the first
// person accepts. The buyer finds the company in the directory and invites it to a restricted
// sourcing, which it sees once it accepts. Registration works without JavaScript too.

const PASSWORD = "une phrase assez longue pour être sûre";

async function register(page: import("@playwright/test").Page, siret: string, name: string, email: string) {
  await page.getByLabel("SIRET de l'établissement").fill(siret);
  await page.getByLabel("Raison sociale").fill("Jardins de Meaux");
  await page.getByLabel("Vos prénom et nom").fill(name);
  await page.getByLabel("Votre adresse e-mail professionnelle").fill(email);
  await page.getByLabel("Mot de passe (au moins 12 caractères)").fill(PASSWORD);
  await page.getByLabel("Mot de passe, à nouveau").fill(PASSWORD);
  await page.getByRole("button", { name: "Recevoir le lien de confirmation" }).click();
}

test("a company registers through the mailed link, fills its profile and takes part; a colleague waits for its acceptance", async ({
  browser,
}) => {
  test.setTimeout(90_000); // three people, six mails, a dozen pages
  const page = await browser.newPage();
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "Inscrire mon entreprise" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inscrire mon entreprise");
  // A wrong key is refused with a message, and the typed fields stay.
  await register(page, "88745123600013", "Louise Bernard", "louise@jardins-meaux.fr");
  await expect(page.getByRole("alert")).toContainText("clé de contrôle");
  await expect(page.getByLabel("Raison sociale")).toHaveValue("Jardins de Meaux");
  await page.screenshot({ path: "test-results/registration-form.png", fullPage: true });
  await page.getByLabel("SIRET de l'établissement").fill("88745123600012");
  await page.getByRole("button", { name: "Recevoir le lien de confirmation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vérifiez votre messagerie");

  const link = await mailedLink("louise@jardins-meaux.fr", "/inscription/confirmer/");
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByText("louise@jardins-meaux.fr")).toBeVisible();
  await page.getByRole("button", { name: "Confirmer et créer mon compte" }).click();
  await expect(page).toHaveURL(/\/compte/);
  await expect(page.getByRole("heading", { name: "Profil de Jardins de Meaux" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Navigation principale" })).toContainText("Louise Bernard");

  // The profile: a bad website refused, then saved with a presentation.
  await page.getByLabel("Codes CPV de vos activités").fill("90910000-9");
  await page.getByLabel("Départements où vous intervenez").fill("77 93");
  await page.getByLabel("PME (moins de 250 salariés)").check();
  await page.getByLabel("Site web").fill("https://jardins-meaux.fr");
  await page
    .getByLabel("Présentation (Markdown, 5 000 caractères au plus)")
    .fill("Entretien des **espaces verts** sans produits phytosanitaires, 12 jardiniers.");
  await page.getByRole("button", { name: "Enregistrer le profil" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Le profil est enregistré." })).toBeVisible();
  await expect(page.locator(".company-presentation strong")).toHaveText("espaces verts");
  await page.screenshot({ path: "test-results/registration-profile.png", fullPage: true });

  // A member takes part in the open sourcing.
  await page.goto("/consultations/1");
  await hydrated(page);
  await page.getByRole("button", { name: "Participer à ce sourcing" }).click();
  await expect(page.getByText(/Vous participez sous le nom/)).toBeVisible();

  // A colleague registers with the same SIRET: no second company, a request that Louise accepts.
  const colleague = await browser.newPage();
  await colleague.goto("/inscription");
  await hydrated(colleague);
  await register(colleague, "88745123600012", "Paul Durand", "paul@jardins-meaux.fr");
  await expect(colleague.getByRole("heading", { level: 1 })).toHaveText("Vérifiez votre messagerie");
  await colleague.goto(await mailedLink("paul@jardins-meaux.fr", "/inscription/confirmer/"));
  await hydrated(colleague);
  await colleague.getByRole("button", { name: "Confirmer et créer mon compte" }).click();
  await expect(colleague).toHaveURL(/\/entreprise$/);
  await expect(colleague.getByRole("status").filter({ hasText: "attend l'accord" })).toBeVisible();

  await mailedLink("louise@jardins-meaux.fr", "/compte");
  await page.goto("/compte");
  await hydrated(page);
  const requests = page.getByRole("region", { name: "Demandes pour rejoindre votre entreprise" });
  await expect(requests).toContainText("paul@jardins-meaux.fr");
  await requests.getByRole("button", { name: "Accepter" }).click();
  await expect(page.getByText("La demande est traitée")).toBeVisible();
  await expect(await mailedLink("paul@jardins-meaux.fr", "/entreprise")).toContain("/entreprise");
  await colleague.goto("/entreprise");
  await hydrated(colleague);
  await expect(colleague.getByText("attend l'accord")).toHaveCount(0);
  await expect(colleague.getByRole("heading", { level: 1 })).toHaveText("Espace entreprise");
  await expect(colleague.locator(".lead")).toContainText("Jardins de Meaux");

  // The buyer finds the company in the directory and invites it to the restricted sourcing.
  const buyer = await (await browser.newContext()).newPage();
  await signIn(buyer, BUYER);
  await buyer.goto("/acheteur");
  await hydrated(buyer);
  await buyer.getByRole("link", { name: "Nettoyage des locaux de la sous-préfecture de Meaux" }).first().click();
  await hydrated(buyer);
  await buyer.getByRole("link", { name: "Entreprises invitées" }).click();
  await expect(buyer.getByRole("heading", { level: 1 })).toHaveText("Entreprises invitées");
  await hydrated(buyer);
  await buyer.getByLabel("Code CPV (début)").fill("9091");
  await buyer.getByLabel("Département").fill("93");
  await buyer.getByRole("button", { name: "Chercher" }).click();
  await expect(buyer.getByText("1 entreprise correspond.")).toBeVisible();
  await expect(buyer.locator(".company-card strong")).toHaveText("espaces verts");
  await buyer.getByRole("button", { name: "Inviter Jardins de Meaux" }).click();
  await expect(buyer.getByText("Invitation envoyée")).toBeVisible();
  await expect(buyer.getByRole("row", { name: /Jardins de Meaux/ })).toContainText("En attente de réponse");
  await buyer.screenshot({ path: "test-results/invitations-buyer.png", fullPage: true });

  // The company is told by mail, accepts on its space and takes part.
  await mailedLink("louise@jardins-meaux.fr", "/entreprise");
  await page.goto("/entreprise");
  await hydrated(page);
  const invitations = page.getByRole("region", { name: "Invitations à répondre" });
  await expect(invitations).toContainText("Nettoyage des locaux de la sous-préfecture de Meaux");
  await page.screenshot({ path: "test-results/invitations-company.png", fullPage: true });
  await invitations.getByRole("button", { name: "Accepter" }).click();
  await page.getByRole("link", { name: "Ouvrir la consultation" }).click();
  // Restricted, announced, no version yet: the company now sees it (it did not before).
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nettoyage des locaux de la sous-préfecture de Meaux");
  await buyer.reload();
  await expect(buyer.getByRole("row", { name: /Jardins de Meaux/ })).toContainText("Acceptée");
});

test("a buyer invites by e-mail a company that is not registered; it registers through the link into the sourcing", async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const buyer = await (await browser.newContext()).newPage();
  await signIn(buyer, BUYER);
  await buyer.goto("/acheteur");
  await hydrated(buyer);
  await buyer.getByRole("link", { name: "Nettoyage des locaux de la sous-préfecture de Meaux" }).first().click();
  await hydrated(buyer);
  await buyer.getByRole("link", { name: "Entreprises invitées" }).click();
  await hydrated(buyer);
  await buyer.getByLabel("Adresse e-mail de l'entreprise").fill("contact@vitres-meaux.fr");
  await buyer.getByRole("button", { name: "Envoyer l'invitation" }).click();
  await expect(buyer.getByRole("row", { name: /contact@vitres-meaux\.fr/ })).toContainText("En attente d'inscription");

  const company = await (await browser.newContext()).newPage();
  await company.goto(await mailedLink("contact@vitres-meaux.fr", "/inscription?invitation="));
  await hydrated(company);
  await expect(company.getByRole("status").filter({ hasText: "Nettoyage des locaux" })).toBeVisible();
  await company.screenshot({ path: "test-results/registration-invited.png", fullPage: true });
  await company.getByLabel("SIRET de l'établissement").fill("52314789600014");
  await company.getByLabel("Raison sociale").fill("Vitres de Meaux");
  await company.getByLabel("Vos prénom et nom").fill("Nora Haddad");
  await company.getByLabel("Votre adresse e-mail professionnelle").fill("contact@vitres-meaux.fr");
  await company.getByLabel("Mot de passe (au moins 12 caractères)").fill(PASSWORD);
  await company.getByLabel("Mot de passe, à nouveau").fill(PASSWORD);
  await company.getByRole("button", { name: "Recevoir le lien de confirmation" }).click();
  await expect(company.getByRole("heading", { level: 1 })).toHaveText("Vérifiez votre messagerie");
  await company.goto(await mailedLink("contact@vitres-meaux.fr", "/inscription/confirmer/"));
  await hydrated(company);
  await company.getByRole("button", { name: "Confirmer et créer mon compte" }).click();
  await expect(company.getByRole("heading", { level: 1 })).toHaveText("Nettoyage des locaux de la sous-préfecture de Meaux");
  await buyer.reload();
  await expect(buyer.getByRole("row", { name: /contact@vitres-meaux\.fr/ })).toContainText("Inscrite : Vitres de Meaux");
  await expect(buyer.getByRole("row", { name: /Vitres de Meaux/ }).first()).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("registration and its confirmation are plain forms", async ({ page }) => {
    await page.goto("/inscription");
    await register(page, "12345678900016", "Inès Petit", "ines@exemple.fr");
    await expect(page.getByRole("alert")).toContainText("clé de contrôle");
    await register(page, "12345678900015", "Inès Petit", "ines@exemple.fr");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vérifiez votre messagerie");
    await page.goto(await mailedLink("ines@exemple.fr", "/inscription/confirmer/"));
    await page.getByRole("button", { name: "Confirmer et créer mon compte" }).click();
    await expect(page.getByRole("heading", { name: "Profil de Jardins de Meaux" })).toBeVisible();
  });
});
