import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { BUYER, createConsultation, hydrated, mailedLink, signIn } from "./helpers";

// The salon inversé: a company registers through the mailed link, fills its profile and sets an
// alert; a buyer announces a need; the company gets the notification (the bell) and the mail,
// says it is interested; the buyer sees it with its profile, finds it in the directory and
// invites it to the restricted sourcing that follows the need; it accepts and contributes. The
// catalogue's search works without JavaScript.

const PASSWORD = "une phrase assez longue pour être sûre";
const EMAIL = "lea@paysages-brie.fr";
const NEED = "Entretien des espaces verts du campus de Melun";
const SPECIFICATION = `# Espaces verts du campus de Melun

## 1 Objet

Tonte, taille des haies et entretien des massifs sur 12 hectares.

## 2 Fauche tardive

Fauche tardive des prairies une fois par an, après le 15 juillet.
`;

test("a company hears of a need through its alert, comes forward, and the buyer invites it", async ({ browser }) => {
  test.setTimeout(120_000); // two people, four mails, a dozen pages
  const page = await (await browser.newContext()).newPage();
  await page.goto("/inscription");
  await hydrated(page);
  await page.getByLabel("SIRET de l'établissement").fill("79134567100006");
  await page.getByLabel("Raison sociale").fill("Paysages de Brie");
  await page.getByLabel("Vos prénom et nom").fill("Léa Martin");
  await page.getByLabel("Votre adresse e-mail professionnelle").fill(EMAIL);
  await page.getByLabel("Mot de passe (au moins 12 caractères)").fill(PASSWORD);
  await page.getByLabel("Mot de passe, à nouveau").fill(PASSWORD);
  await page.getByRole("button", { name: "Recevoir le lien de confirmation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vérifiez votre messagerie");
  await page.goto(await mailedLink(EMAIL, "/inscription/confirmer/"));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirmer et créer mon compte" }).click();
  await expect(page).toHaveURL(/\/compte/);
  await page.getByLabel("Codes CPV de vos activités").fill("77311000-3");
  await page.getByLabel("Départements où vous intervenez").fill("77");
  await page.getByLabel("PME (moins de 250 salariés)").check();
  await page
    .getByLabel("Présentation (Markdown, 5 000 caractères au plus)")
    .fill("Paysagistes à Melun : **gestion différenciée**, 8 jardiniers, zéro phyto.");
  await page.getByRole("button", { name: "Enregistrer le profil" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Le profil est enregistré." })).toBeVisible();

  // The alert: green spaces (7731…) in Seine-et-Marne, at once. A wrong code is explained.
  await page.getByRole("link", { name: /^Notifications/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notifications");
  await hydrated(page);
  await page.getByLabel("Codes CPV ou leur début").fill("7");
  await page.getByLabel("Départements").fill("77");
  await page.getByRole("button", { name: "Enregistrer mon alerte" }).click();
  await expect(page.getByRole("alert")).toContainText("n'est pas un code CPV");
  await page.getByLabel("Codes CPV ou leur début").fill("7731");
  await page.getByRole("button", { name: "Enregistrer mon alerte" }).click();
  await expect(page.getByText("Alerte enregistrée.")).toBeVisible();

  // The buyer announces a need.
  const buyer = await (await browser.newContext()).newPage();
  await signIn(buyer, BUYER);
  await buyer.goto("/besoins");
  await hydrated(buyer);
  await buyer.getByRole("link", { name: "Annoncer un besoin" }).click();
  await expect(buyer.getByRole("heading", { level: 1 })).toHaveText("Annoncer un besoin");
  await hydrated(buyer);
  await buyer.getByLabel("Titre").fill(NEED);
  await buyer.getByLabel("Description").fill("Tonte, taille des haies et **fauche tardive** sur 12 hectares.");
  await buyer.getByLabel("Codes CPV").fill("77311000-3");
  await buyer.getByLabel("Départements").fill("77");
  await buyer.getByLabel("Montant estimé : de (€ HT, facultatif)").fill("80 000");
  await buyer.getByLabel("à (€ HT, facultatif)").fill("150 000");
  await buyer.getByLabel("Trimestre prévu de l'appel d'offres").fill("2027-T3");
  await buyer.getByLabel("Contact (facultatif)").fill("Service achats — achats@exemple.gouv.fr");
  await buyer.getByRole("button", { name: "Publier le besoin" }).click();
  await expect(buyer).toHaveURL(/\/besoins\/\d+$/);
  await expect(buyer.getByRole("heading", { level: 1 })).toHaveText(NEED);
  const needUrl = buyer.url();

  // The company: the bell, the notification, the mail; then « Je suis intéressé ».
  await page.goto("/entreprise");
  await hydrated(page);
  await expect(page.getByRole("link", { name: "Notifications, 1 non lue" })).toBeVisible();
  expect(new URL(await mailedLink(EMAIL, "/besoins/")).pathname).toBe(new URL(needUrl).pathname);
  await page.getByRole("link", { name: "Notifications, 1 non lue" }).click();
  await hydrated(page);
  await page.screenshot({ path: "test-results/notifications-company.png", fullPage: true });
  await page.getByRole("link", { name: new RegExp(NEED) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(NEED);
  await hydrated(page);
  await expect(page.locator(".prose strong")).toHaveText("fauche tardive");
  await page.getByLabel("Message à l'acheteur (facultatif)").fill("Nous entretenons déjà le parc de la préfecture.");
  await page.getByRole("button", { name: "Je suis intéressé" }).click();
  await expect(page.getByText("Votre entreprise s'est déclarée intéressée")).toBeVisible();

  // The buyer sees it, by name, with its profile, and is told.
  await buyer.reload();
  await hydrated(buyer);
  const interested = buyer.getByRole("region", { name: "1 entreprise intéressée" });
  await expect(interested).toContainText("Paysages de Brie");
  await expect(interested).toContainText("Nous entretenons déjà le parc de la préfecture.");
  await expect(interested.locator("strong")).toHaveText("gestion différenciée");
  await expect(buyer.getByRole("link", { name: /^Notifications, \d+ non lue/ })).toBeVisible();
  await buyer.screenshot({ path: "test-results/need-buyer.png", fullPage: true });

  // Portes ouvertes: the buyer offers a slot; the company books it and gets the meeting for
  // its agenda; the buyer sees who comes.
  const openDays = buyer.getByRole("region", { name: "Portes ouvertes" });
  await openDays.getByLabel("Date", { exact: true }).fill("2027-01-14");
  await openDays.getByLabel("Heure (Paris)").fill("14:30");
  await openDays.getByLabel("Durée (minutes)").fill("45");
  await openDays.getByLabel("Entreprises reçues").fill("1");
  await openDays.getByLabel("Lieu").fill("Préfecture de Melun, salle 2");
  await openDays.getByRole("button", { name: "Proposer ce créneau" }).click();
  await expect(openDays.locator(".slot")).toContainText("14 janvier 2027 à 14 h 30 · 45 min");
  await page.reload();
  await hydrated(page);
  const slot = page.locator(".slot").filter({ hasText: "14 janvier 2027" });
  await expect(slot).toContainText("1 place sur 1");
  await slot.getByRole("button", { name: "Réserver ce créneau" }).click();
  await expect(slot).toContainText("Réservé par votre entreprise.");
  const download = page.waitForEvent("download");
  await slot.getByRole("link", { name: "Ajouter à mon agenda (.ics)" }).click();
  const ics = readFileSync((await (await download).path())!, "utf8");
  expect(ics).toContain("DTSTART:20270114T133000Z");
  expect(ics).toContain("LOCATION:Préfecture de Melun\\, salle 2");
  await page.screenshot({ path: "test-results/open-days-company.png", fullPage: true });
  await buyer.reload();
  await hydrated(buyer);
  await expect(openDays.locator(".slot")).toContainText("Réservé par : Paysages de Brie");
  await expect(openDays.locator(".slot")).toContainText("Complet");
  await openDays.screenshot({ path: "test-results/open-days-buyer.png" });

  // Then opens a restricted sourcing for it, links the need to it, finds the company in the
  // directory and invites it.
  const editor = await createConsultation(buyer, "Espaces verts du campus de Melun", true);
  await buyer.getByLabel("Texte (Markdown)").fill(SPECIFICATION);
  await expect(buyer.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  await buyer.getByRole("button", { name: "Publier la version 1" }).click();
  await buyer.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(buyer.getByText("Version 1 publiée.")).toBeVisible();
  const consultation = editor.replace(/\/rediger$/, "");
  await buyer.goto(consultation);
  await hydrated(buyer);
  for (const step of ["Annoncer la consultation", "Ouvrir la phase d'échanges"]) {
    await buyer.getByRole("button", { name: step }).click();
    await expect(buyer.getByRole("button", { name: step })).toHaveCount(0);
  }
  await buyer.goto(needUrl);
  await hydrated(buyer);
  await buyer.getByLabel("Sourcing qui a suivi").selectOption({ label: "Espaces verts du campus de Melun" });
  await buyer.getByRole("button", { name: "Enregistrer" }).click();
  await expect(buyer.getByRole("link", { name: "« Espaces verts du campus de Melun »" })).toBeVisible();
  await buyer.goto(consultation);
  await hydrated(buyer);
  await buyer.getByRole("link", { name: "Entreprises invitées" }).click();
  await hydrated(buyer);
  await buyer.getByLabel("Mots du nom ou de la présentation").fill("paysage differenciee");
  await buyer.getByRole("button", { name: "Chercher" }).click();
  await expect(buyer.getByText("1 entreprise correspond.")).toBeVisible();
  await buyer.getByRole("button", { name: "Inviter Paysages de Brie" }).click();
  await expect(buyer.getByText("Invitation envoyée")).toBeVisible();

  // The company accepts from its space, takes part under a pseudonym and contributes.
  await page.goto("/entreprise");
  await hydrated(page);
  const invitations = page.getByRole("region", { name: "Invitations à répondre" });
  await expect(invitations).toContainText("Espaces verts du campus de Melun");
  await invitations.getByRole("button", { name: "Accepter" }).click();
  await page.getByRole("link", { name: "Ouvrir la consultation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Espaces verts du campus de Melun");
  await hydrated(page);
  await page.getByRole("button", { name: "Participer à ce sourcing" }).click();
  await expect(page.locator(".participation")).toContainText("Vous participez sous le nom Entreprise A");
  const clause = page.locator("section.clause").filter({ hasText: "Fauche tardive" });
  await clause.getByRole("button", { name: "+ Contribuer sur cette clause" }).click();
  const form = page.getByRole("form", { name: "Nouvelle contribution" });
  await form.getByLabel("Solution proposée").check();
  await form.getByLabel("Justification (obligatoire)").fill("Deux fauches par an suffisent aux prairies du campus.");
  await form.getByRole("button", { name: "Publier la contribution" }).click();
  await expect(page.locator(".contribution").filter({ hasText: "Deux fauches" })).toContainText("Entreprise A (vous)");
  await buyer.goto(consultation);
  await hydrated(buyer);
  await expect(buyer.locator(".contribution").filter({ hasText: "Deux fauches" })).toContainText("Entreprise A");

  await page.goto("/notifications");
  await hydrated(page);
  await expect(page.locator(".notification-list")).toContainText("vous invite au sourcing");
  await page.getByRole("button", { name: "Tout marquer comme lu" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notifications");
  await expect(page.getByText("Tout est lu.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name: "Notifications, aucune non lue" })).toBeVisible();
});

test("the catalogue lists, searches and shows the year by quarter", async ({ page }) => {
  await page.goto("/besoins");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Besoins à venir");
  await page.getByLabel("Mots").fill("espace vert");
  await page.getByRole("button", { name: "Chercher" }).click();
  await expect(page).toHaveURL(/mots=espace\+vert/);
  await expect(page.locator(".need-card").first()).toContainText("espaces verts");
  await page.screenshot({ path: "test-results/needs-catalogue.png", fullPage: true });
  await page.getByLabel("Mots").fill("");
  await page.getByLabel("Période").fill("2027");
  await page.getByLabel("Année par trimestre").check();
  await page.getByRole("button", { name: "Chercher" }).click();
  await expect(page.getByRole("region", { name: "1er trimestre 2027" })).toBeVisible();
  await expect(page.getByRole("region", { name: "4e trimestre 2027" })).toBeVisible();
  await page.screenshot({ path: "test-results/needs-year.png", fullPage: true });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the catalogue's search is a plain form", async ({ page }) => {
    await page.goto("/besoins");
    await page.getByLabel("Mots").fill("Élagage");
    await page.getByRole("button", { name: "Chercher" }).click();
    await expect(page).toHaveURL(/mots=%C3%89lagage/);
    await expect(page.locator(".need-card").first()).toContainText("espaces verts");
    await page.getByLabel("Période").fill("demain");
    await page.getByRole("button", { name: "Chercher" }).click();
    await expect(page.getByRole("alert")).toContainText("n'est pas une période");
  });
});
