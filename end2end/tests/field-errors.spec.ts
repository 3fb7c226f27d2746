import { expect, test, type Locator } from "@playwright/test";
import { BUYER, hydrated, signIn, submitConsultationFacts, submitOrganisation } from "./helpers";

// Form errors tied to their fields (issue 18, item 8): the refused field says so
// (`aria-invalid`), and its message is its accessible description (`aria-describedby`), shown
// under it; the fields that are right say nothing.

async function refused(field: Locator, message: string | RegExp) {
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(message);
}

async function accepted(field: Locator) {
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
}

test("the new-consultation form shows each refusal of the server under its field", async ({ page }) => {
  await signIn(page, BUYER);
  await page.goto("/acheteur/nouvelle-consultation");
  await hydrated(page);
  await submitConsultationFacts(page, { title: "Entretien des espaces verts", cpv: "7731", departements: "77, 975", tender: "2020-01-01" });

  const cpv = page.getByLabel("Codes CPV");
  await refused(cpv, /Un ou plusieurs codes.*« 7731 » n'est pas un code CPV/);
  await refused(page.getByLabel("Départements"), /« 975 » n'est pas un numéro de département/);
  await refused(page.getByLabel("Date prévue de l'appel d'offres (facultatif)"), /est passée/);
  await accepted(page.getByLabel("Intitulé"));
  await accepted(page.getByLabel("Objet du besoin"));
  // The summary near the button says it all too; nothing typed is lost.
  await expect(page.getByRole("alert")).toContainText("n'est pas un code CPV");
  await expect(page.getByLabel("Intitulé")).toHaveValue("Entretien des espaces verts");
  await cpv.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "screenshots/field-errors.png" });

  // Corrected: the form goes through.
  await submitConsultationFacts(page, { title: "Entretien des espaces verts" });
  await expect(page).toHaveURL(/\/consultations\/\d+\/rediger$/);
});

test("the calendar points at the duration that breaks a rule, as it is typed", async ({ page }) => {
  await signIn(page, BUYER);
  // Typed only, never saved: the demo consultation stays as it is.
  await page.goto("/consultations/1/calendrier");
  await hydrated(page);
  const exchanges = page.getByLabel("Durée des échanges (jours)");
  await exchanges.fill("30");
  await refused(exchanges, /De 1 à 2 semaines.*30/);
  await accepted(page.getByLabel("Rédaction du CCTP final (jours)"));
  await expect(page.getByRole("button", { name: "Enregistrer le calendrier" })).toBeDisabled();
  await exchanges.fill("");
  await refused(exchanges, /saisissez un nombre de jours/);
  await exchanges.fill("10");
  await accepted(exchanges);
  await expect(exchanges).toHaveAccessibleDescription("De 1 à 2 semaines (7 à 14 jours).");
});

test("the administrator's forms show the refused fields", async ({ page }) => {
  await signIn(page, "admin@demo.jesaisfaire.fr");
  await page.goto("/admin");
  await hydrated(page);
  const organisation = await submitOrganisation(page, "Atelier des Tests", "73282932000075", "99");
  await refused(organisation.getByLabel("SIREN ou SIRET"), /clé de contrôle/);
  await refused(organisation.getByLabel("Département du siège"), /« 99 »/);
  await accepted(organisation.getByLabel("Nom", { exact: true }));

  const invite = page.getByRole("region", { name: "Inviter une personne" });
  await invite.getByLabel("Adresse e-mail").fill("quelqu.un@exemple.fr");
  await invite.getByLabel("Organisation").selectOption({ label: "Aucune (relecteur ou administrateur)" });
  await invite.getByRole("button", { name: "Envoyer l'invitation" }).click();
  await refused(invite.getByLabel("Organisation"), /Choisissez l'organisation/);
  await accepted(invite.getByLabel("Adresse e-mail"));
});
