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

/** Creates a consultation through the form and returns the editor's URL. */
export async function createConsultation(page: Page, title: string, restricted = false): Promise<string> {
  await page.goto("/acheteur");
  await hydrated(page);
  await page.getByRole("link", { name: "Nouvelle consultation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nouvelle consultation");
  await page.getByLabel("Intitulé").fill(title);
  await page.getByLabel("Objet du besoin").fill("Tonte, taille et désherbage sans produits phytosanitaires sur trois sites.");
  await page.getByLabel("Codes CPV").fill("77310000-6");
  await page.getByLabel("Départements").fill("77");
  await page.getByLabel("Date prévue de l'appel d'offres (facultatif)").fill("2030-03-01");
  if (restricted) await page.getByRole("radio", { name: /^Restreint/ }).check();
  await page.getByRole("button", { name: "Créer et rédiger le cahier des charges" }).click();
  await expect(page).toHaveURL(/\/consultations\/\d+\/rediger$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rédaction du cahier des charges");
  return page.url();
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
