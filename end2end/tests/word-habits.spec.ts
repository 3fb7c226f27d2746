import { expect, test, type Locator, type Page } from "@playwright/test";
import { BUYER, createConsultation, hydrated, signIn } from "./helpers";

// The editor for buyers used to Word (issue 18, item 6): a toolbar and Word's shortcuts on the
// Markdown text, undo as in any text, « Publier » always in view, and the contributions on the
// clause being rewritten beside the text.

const TEXT = `Projet soumis au sourcing.

Objet du marché

Le titulaire réalise deux visites par an.

Site\tPostes
Melun\t350
Meaux\t120
`;

/** Selects `words` in the text area (the first occurrence), as a mouse or Shift+arrows would. */
async function select(area: Locator, words: string, caretOnly = false) {
  await area.evaluate(
    (el: HTMLTextAreaElement, [w, caret]) => {
      const at = el.value.indexOf(w as string);
      if (at < 0) throw new Error(`${w} not in the text`);
      el.focus();
      el.setSelectionRange(at, caret ? at : at + (w as string).length);
    },
    [words, caretOnly] as const,
  );
}

async function caretIn(page: Page, area: Locator, words: string) {
  await select(area, words, true);
  // A key moves the caret as a person would; the editor follows the caret on key up.
  await page.keyboard.press("ArrowRight");
}

test("a buyer formats with the toolbar and Word's shortcuts, undoes, and publishes from the bar in view", async ({ page }) => {
  await signIn(page, BUYER);
  await createConsultation(page, "Entretien des espaces verts (habitudes de Word)");
  const area = page.getByLabel("Texte (Markdown)");
  const preview = page.getByRole("region", { name: "Aperçu" });
  const toolbar = page.getByRole("toolbar", { name: "Mise en forme" });
  await area.fill(TEXT);

  // A heading from the toolbar: the line becomes a clause.
  await caretIn(page, area, "Objet du marché");
  await toolbar.getByRole("button", { name: "Titre de clause" }).click();
  await expect(area).toHaveValue(/\n## Objet du marché\n/);
  await expect(preview.getByRole("heading", { name: "Objet du marché" })).toBeVisible();
  await expect(area).toBeFocused();

  // Bold with French Word's Ctrl+G, on a word chosen with a double click's trailing space.
  await select(area, "deux ");
  await page.keyboard.press("Control+g");
  await expect(area).toHaveValue(/réalise \*\*deux\*\* visites/);
  await expect(preview.locator("strong")).toHaveText("deux");
  // Ctrl+Z undoes it as it undoes typing.
  await page.keyboard.press("Control+z");
  await expect(area).toHaveValue(/réalise deux visites/);
  await select(area, "visites");
  await page.keyboard.press("Control+i");
  await expect(preview.locator("em")).toHaveText("visites");

  // Cells copied from a spreadsheet become a table.
  await area.evaluate((el: HTMLTextAreaElement) => {
    const from = el.value.indexOf("Site\t");
    el.focus();
    el.setSelectionRange(from, el.value.length);
  });
  await toolbar.getByRole("button", { name: "Tableau" }).click();
  await expect(preview.getByRole("cell", { name: "Melun" })).toBeVisible();
  await expect(preview.getByRole("columnheader", { name: "Postes" })).toBeVisible();

  // The toolbar is one tab stop; the arrows move inside it.
  const bold = toolbar.getByRole("button", { name: "Gras" });
  await expect(bold).toHaveAttribute("aria-keyshortcuts", "Control+G Control+B");
  await toolbar.getByRole("button", { name: "Titre de clause" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(toolbar.getByRole("button", { name: "Sous-clause" })).toBeFocused();
  await page.keyboard.press("End");
  await expect(toolbar.getByRole("button", { name: "Lien" })).toBeFocused();
  await expect(toolbar.locator("button[tabindex='0']")).toHaveCount(1);

  // Saved; « Publier… » is in view at the top of a long page, and leads to the confirmation.
  const bar = page.getByRole("region", { name: "Enregistrement et publication" });
  await expect(bar.getByRole("status")).toContainText("Enregistré à");
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(bar.getByRole("button", { name: "Publier…" })).toBeInViewport();
  await page.screenshot({ path: "screenshots/editor-toolbar.png" });
  await bar.getByRole("button", { name: "Publier…" }).click();
  await expect(page.getByLabel("Message aux entreprises (facultatif)")).toBeFocused();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText("Version 1 publiée.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Publier la version 2" })).toBeVisible();
});

test("the buyer rewrites a clause with its contributions in view", async ({ page }) => {
  await signIn(page, BUYER);
  await page.goto("/consultations/1/rediger");
  await hydrated(page);
  const area = page.getByLabel("Texte (Markdown)");
  const beside = page.getByRole("region", { name: "Contributions sur cette clause" });

  // The caret in « 3 Maintenance préventive »: Entreprise A's proposal on it.
  await caretIn(page, area, "Le titulaire réalise une visite préventive");
  await expect(beside).toContainText("3 Maintenance préventive");
  await expect(beside).toContainText("Entreprise A");
  await expect(beside).toContainText("Solution proposée");
  await expect(beside).not.toContainText("Entreprise B");
  await expect(beside.getByRole("link", { name: "Lire et répondre (nouvel onglet)" }).first())
    .toHaveAttribute("href", /^\/consultations\/1#contribution-\d+$/);
  await page.screenshot({ path: "screenshots/editor-contributions.png" });

  // In « 5 Délais d'intervention »: Entreprise B's question; in the first clause: none.
  await caretIn(page, area, "Les délais sont décomptés");
  await expect(beside).toContainText("5 Délais d'intervention");
  await expect(beside).toContainText("Entreprise B");
  await caretIn(page, area, "## 1 Objet");
  await expect(beside).toContainText("Aucune contribution sur cette clause.");
});
