import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { BUYER, createConsultation, signIn } from "./helpers";

// A buyer brings the CCTP they already have in Word, sees what the import will give (the outline,
// what cannot be carried) before it replaces the draft, publishes it, publishes a second version,
// and hands a colleague the comparison as a Word file with tracked changes.

const CORPUS = "../tests/data/word";

async function publish(page: Page, number: number, changelog?: string) {
  if (changelog) await page.getByLabel("Ce qui change dans cette version (obligatoire)").fill(changelog);
  await page.getByRole("button", { name: `Publier la version ${number}` }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText(`Version ${number} publiée.`)).toBeVisible();
}

test("a buyer imports a .docx, checks its outline and losses, publishes, and downloads the comparison for Word", async ({ page }) => {
  await signIn(page, BUYER);
  const editor = await createConsultation(page, "Entretien de la flotte de véhicules (import Word)");
  const source = page.getByLabel("Texte (Markdown)");

  // A file that is not a Word file: a clear message, the draft untouched.
  const before = await source.inputValue();
  await page.getByLabel("Importer un fichier (.docx, .odt, .md)").setInputFiles({
    name: "cctp.docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    buffer: Buffer.from("ceci n'est pas un document Word"),
  });
  await expect(page.getByRole("alert").filter({ hasText: "ni un document Word" })).toBeVisible();
  await expect(source).toHaveValue(before);

  // The real file: the outline and what is lost, before anything changes.
  await page.getByLabel("Importer un fichier (.docx, .odt, .md)").setInputFiles(`${CORPUS}/flotte-vehicules.docx`);
  const preview = page.getByRole("region", { name: "Avant d'importer « flotte-vehicules.docx »" });
  await expect(preview).toBeVisible();
  await expect(preview).toContainText("6 clauses reconnues");
  await expect(preview.getByRole("list", { name: "Plan du document importé" }).getByRole("listitem")).toHaveText([
    "1 Objet et étendue des prestations",
    "1.1 Entretien périodique",
    "1.2 Réparations",
    "2 Délais d'immobilisation",
    "3 Véhicule de remplacement",
    "4 Restitution des véhicules",
  ]);
  await expect(preview.getByRole("note")).toContainText("1 image ou graphique non repris");
  await expect(preview.getByRole("note")).toContainText("1 commentaire non repris");
  await expect(preview.getByRole("note")).toContainText("1 zone de texte non reprise");
  await expect(source).toHaveValue(before);
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "screenshots/word-import-preview.png", fullPage: true });

  await preview.getByRole("button", { name: "Remplacer le brouillon par ce document" }).click();
  await expect(preview).toHaveCount(0);
  await expect(source).toHaveValue(/^# 1 Objet et étendue des prestations/m);
  await expect(source).toHaveValue(/\| --- \|/); // the table
  await expect(source).toHaveValue(/\[\^1\]: /); // the footnote
  await expect(page.getByText("« flotte-vehicules.docx »").and(page.locator(".form-success"))).toBeVisible();
  const outline = page.getByRole("navigation", { name: "Plan du brouillon" });
  await expect(outline).toContainText("6 clauses");
  // Undoable, like any import.
  await page.getByRole("button", { name: "Annuler l'import" }).click();
  await expect(source).toHaveValue(before);
  await page.getByLabel("Importer un fichier (.docx, .odt, .md)").setInputFiles(`${CORPUS}/flotte-vehicules.docx`);
  await page.getByRole("button", { name: "Remplacer le brouillon par ce document" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  await publish(page, 1);

  // Version 2: a sentence rewritten.
  const v1 = await source.inputValue();
  expect(v1).toContain("1 jour ouvré");
  await source.fill(v1.replace("1 jour ouvré", "2 jours ouvrés"));
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  await publish(page, 2, "Délai porté à deux jours ouvrés.");

  // The version as .docx from the consultation page.
  const consultation = editor.replace(/\/rediger$/, "");
  await page.goto(consultation);
  const [docx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Word (.docx)" }).click()]);
  expect(docx.suggestedFilename()).toMatch(/^cctp-consultation-\d+-v2\.docx$/);
  expect(readFileSync(await docx.path()).subarray(0, 2).toString()).toBe("PK");

  // The comparison as .docx with tracked changes, from the comparison page.
  await page.goto(`${consultation}/comparer?de=1&a=2`);
  const link = page.getByRole("link", { name: /pour Word, avec le suivi des modifications depuis la version 1/ });
  await expect(link).toBeVisible();
  await page.screenshot({ path: "screenshots/word-compare-download.png" });
  const [tracked] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(tracked.suggestedFilename()).toMatch(/^cctp-consultation-\d+-v1-v2-suivi-des-modifications\.docx$/);
  const bytes = readFileSync(await tracked.path());
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.length).toBeGreaterThan(3000);
});
