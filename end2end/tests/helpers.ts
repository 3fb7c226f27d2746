import { expect, type Page } from "@playwright/test";
import fs from "node:fs";
import { mailDir } from "../playwright.config";

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

/** Every page, for each role that reads it (undefined: a signed-out visitor); the phone and
 * accessibility sweeps walk it. A new page belongs here. */
export const EVERY_PAGE: [string | undefined, string[]][] = [
  [undefined, ["/", "/connexion", "/inscription", "/inscription/envoyee", "/consultations/1", "/consultations/1/versions/1", "/consultations/1/comparer", "/consultations/1/historique",
    "/besoins", "/besoins?periode=2027&vue=annee", "/besoins/1", "/consultations/2", "/consultations/3", "/nulle-part", "/donnees"]],
  [BUYER, ["/acheteur", "/acheteur/nouvelle-consultation", "/consultations/1", "/consultations/1/calendrier",
    "/consultations/1/comptes-rendus", "/consultations/1/relecture", "/consultations/1/registres", "/consultations/1/rediger",
    "/consultations/1/dossier?edition=interne", "/compte", "/consultations/1/invitations?recherche=1&cpv=&departement=&mots=",
    "/besoins/1", "/besoins/nouveau", "/notifications", "/consultations/1/contributions", "/consultations/1/comparer",
    "/consultations/1/historique", "/consultations/4/rediger", "/consultations/2/calendrier"]],
  ["entreprise@demo.jesaisfaire.fr", ["/entreprise", "/entreprise/planning", "/consultations/1", "/consultations/1/comptes-rendus", "/compte", "/besoins/1", "/notifications",
    "/consultations/1/comparer", "/consultations/1/calendrier", "/consultations/2"]],
  ["relecteur@demo.jesaisfaire.fr", ["/relecture", "/"]],
  ["admin@demo.jesaisfaire.fr", ["/admin"]],
];

/** The facts of a new consultation, as typed in its form (defaults: a valid green-spaces one). */
export type ConsultationFacts = { title: string; object?: string; cpv?: string; departements?: string; tender?: string };

/** Fills the new-consultation form (already open) and sends it. */
export async function submitConsultationFacts(page: Page, facts: ConsultationFacts) {
  await page.getByLabel("Intitulé").fill(facts.title);
  await page.getByLabel("Objet du besoin").fill(facts.object ?? "Tonte, taille et désherbage sans produits phytosanitaires sur trois sites.");
  await page.getByLabel("Codes CPV").fill(facts.cpv ?? "77310000-6");
  await page.getByLabel("Départements").fill(facts.departements ?? "77");
  await page.getByLabel("Date prévue de l'appel d'offres (facultatif)").fill(facts.tender ?? "2030-03-01");
  await page.getByRole("button", { name: "Créer et rédiger le cahier des charges" }).click();
}

/** Fills the administrator's « Nouvelle organisation » form and sends it. */
export async function submitOrganisation(page: Page, name: string, siret: string, departement: string) {
  const organisation = page.getByRole("region", { name: "Nouvelle organisation" });
  await organisation.getByLabel("Nom", { exact: true }).fill(name);
  await organisation.getByLabel("SIREN ou SIRET").fill(siret);
  await organisation.getByLabel("Département du siège").fill(departement);
  await organisation.getByRole("button", { name: "Créer l'organisation" }).click();
  return organisation;
}

/** Creates a consultation through the form and returns the editor's URL. */
export async function createConsultation(page: Page, title: string, restricted = false): Promise<string> {
  await page.goto("/acheteur");
  await hydrated(page);
  await page.getByRole("link", { name: "Nouvelle consultation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nouvelle consultation");
  if (restricted) await page.getByRole("radio", { name: /^Restreint/ }).check();
  await submitConsultationFacts(page, { title });
  await expect(page).toHaveURL(/\/consultations\/\d+\/rediger$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rédaction du cahier des charges");
  return page.url();
}


/** As the buyer: creates a consultation with `text` as version 1, publishes it, and opens the
 * exchanges by hand (no calendar). Returns the consultation's URL. */
export async function consultationInExchanges(page: Page, title: string, text: string): Promise<string> {
  const editor = await createConsultation(page, title);
  await page.getByLabel("Texte (Markdown)").fill(text);
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  await page.getByRole("button", { name: "Publier la version 1" }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText("Version 1 publiée.")).toBeVisible();
  const consultation = editor.replace(/\/rediger$/, "");
  await page.goto(consultation);
  await hydrated(page);
  for (const step of ["Annoncer la consultation", "Ouvrir l'appel à participation", "Ouvrir la phase d'échanges"]) {
    await page.getByRole("button", { name: step }).click();
    await expect(page.getByRole("button", { name: step })).toHaveCount(0);
  }
  return consultation;
}

/** Quoted-printable (RFC 2045) to text: soft line breaks removed, `=XX` bytes decoded as UTF-8. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8").replace(/\r\n/g, "\n");
}

/** The plain-text body of the newest mail the SMTP sink received for `recipient`, if any. */
export function lastMailTo(recipient: string): string | undefined {
  if (!fs.existsSync(mailDir)) return undefined;
  const files = fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml")).sort().reverse();
  for (const file of files) {
    const raw = fs.readFileSync(`${mailDir}/${file}`, "utf8");
    const envelope = raw.split("\r\n", 1)[0].replace("X-Envelope-To: ", "").split(", ");
    if (!envelope.includes(recipient)) continue;
    const start = raw.indexOf("Content-Type: text/plain");
    const body = raw.slice(raw.indexOf("\r\n\r\n", start) + 4);
    return decodeQuotedPrintable(body.slice(0, body.indexOf("\r\n--")));
  }
  return undefined;
}

/** Waits for the mail to `recipient` that contains a link starting with `prefix`; returns the link. */
export async function mailedLink(recipient: string, prefix: string): Promise<string> {
  let link = "";
  await expect
    .poll(
      () => {
        link = lastMailTo(recipient)?.split(/\s+/).find((w) => w.includes(prefix)) ?? "";
        return link;
      },
      { message: `a mail to ${recipient} with a link ${prefix}`, timeout: 15_000 },
    )
    .not.toBe("");
  return link;
}
