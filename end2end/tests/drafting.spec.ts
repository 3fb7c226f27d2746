import { expect, test, type Page } from "@playwright/test";
import { BUYER, createConsultation, signIn } from "./helpers";

const V1 = `# Entretien des espaces verts

Projet soumis au sourcing.

## 1 Objet

Entretien des espaces verts de trois sites de la préfecture.

## 2 Tonte

Tonte toutes les deux semaines d'avril à octobre, hauteur de coupe de huit centimètres.

## 3 Taille des haies

Deux tailles par an ; les déchets sont broyés et laissés sur place en paillage.
`;

const V2 = V1.replace("## 2 Tonte", "## 2 Désherbage\n\nDésherbage manuel ou thermique, sans produit phytosanitaire.\n\n## 3 Tonte")
  .replace("## 3 Taille des haies", "## 4 Taille des haies")
  .replace("Deux tailles par an", "Trois tailles par an");

async function writeText(page: Page, text: string) {
  await page.getByLabel("Texte (Markdown)").fill(text);
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
}

async function publish(page: Page, number: number) {
  await page.getByRole("button", { name: `Publier la version ${number}` }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText(`Version ${number} publiée.`)).toBeVisible();
}

test("a buyer writes, previews and publishes two versions; a reviewer follows the history", async ({ page, browser }) => {
  await signIn(page, BUYER);
  const editor = await createConsultation(page, "Entretien des espaces verts (parcours complet)");
  const preview = page.getByRole("region", { name: "Aperçu" });
  const outline = page.getByRole("navigation", { name: "Plan du brouillon" });

  // The template is there; the preview and the outline follow the text as it is typed.
  await expect(outline).toContainText("Objet du marché");
  await writeText(page, V1);
  await expect(preview.getByRole("heading", { name: "2 Tonte" })).toBeVisible();
  await expect(outline.getByRole("link")).toHaveText(["1 Objet", "2 Tonte", "3 Taille des haies"]);
  await expect(outline).toContainText("3 clauses");

  // Criteria: the total is checked live.
  await page.getByRole("button", { name: "Ajouter un critère" }).click();
  await page.getByRole("button", { name: "Ajouter un critère" }).click();
  const names = page.getByLabel("Critère", { exact: true });
  const weights = page.getByLabel("Pondération (%)");
  await names.nth(0).fill("Prix");
  await weights.nth(0).fill("40");
  await names.nth(1).fill("Valeur technique");
  await weights.nth(1).fill("50");
  await expect(page.getByText("il manque 10 points")).toBeVisible();
  await expect(page.getByRole("button", { name: "Publier la version 1" })).toBeDisabled();
  await weights.nth(1).fill("60");
  await expect(page.locator(".criteria-editor__total")).toHaveText("Total : 100 %");
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  await page.screenshot({ path: "screenshots/editor.png", fullPage: true });

  await publish(page, 1);

  // Version 2: a clause inserted, another rewritten, a changelog.
  await writeText(page, V2);
  await expect(page.getByRole("heading", { name: "Publier la version 2" })).toBeVisible();
  // The live diff against version 1, computed in the browser as the buyer types.
  const live = page.getByRole("region", { name: "Modifications depuis la version 1" });
  await expect(live.getByRole("status")).toContainText("1 ajoutée(s)");
  await expect(live).toContainText("2 Désherbage — Ajoutée");
  await expect(live.locator("ins").filter({ hasText: "Trois" })).toBeVisible();
  await expect(live.locator("del").filter({ hasText: "Deux" })).toBeVisible();
  await live.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "screenshots/editor-live-diff.png", fullPage: true });
  await page.getByRole("button", { name: "Publier la version 2" }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Résumez ce qui change" })).toBeVisible();
  await page.getByLabel("Ce qui change dans cette version (obligatoire)").fill("Désherbage sans produit ajouté ; trois tailles de haies.");
  await publish(page, 2);
  await page.screenshot({ path: "screenshots/editor-published.png", fullPage: true });

  // The consultation page shows version 2 with its criteria.
  const consultation = editor.replace(/\/rediger$/, "");
  await page.goto(consultation);
  await expect(page.getByRole("heading", { name: /version 2$/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Critères d'attribution" })).toContainText("Valeur technique");
  await expect(page.getByRole("button", { name: "Annoncer la consultation" })).toBeVisible();
  await page.screenshot({ path: "screenshots/consultation-buyer.png", fullPage: true });

  // A reviewer of the buyer's organisation sees both versions in the history.
  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, "relecteur@demo.jesaisfaire.fr");
  await reviewer.goto(`${consultation}/historique`);
  const versions = reviewer.getByRole("list", { name: "Versions publiées" }).locator(":scope > li");
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText("Désherbage sans produit ajouté");
  await expect(versions.first()).toContainText("par Claire Moreau");
  await expect(versions.first()).toContainText("4 clauses");
  await reviewer.screenshot({ path: "screenshots/history-after-publication.png", fullPage: true });
  await reviewer.getByRole("link", { name: "Version 1", exact: true }).click();
  await expect(reviewer.locator("article.spec__text")).toContainText("Deux tailles par an");
  // Reviewers read; they have no editor.
  await expect(reviewer.getByRole("link", { name: /Rédiger/ })).toHaveCount(0);
});

test("no keystroke is lost: a reload right after typing brings the text back", async ({ page }) => {
  await signIn(page, BUYER);
  const editor = await createConsultation(page, "Entretien des espaces verts (rechargement)");
  const source = page.getByLabel("Texte (Markdown)");
  await source.fill(V1);
  await source.press("End");
  await source.pressSequentially(" Dernière phrase tapée.");
  // Reload at once, before the autosave pause is over.
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await expect(page.getByLabel("Texte (Markdown)")).toHaveValue(/Dernière phrase tapée\.$/);
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  // And the server has it: a fresh browser gets the same text.
  const other = await (await page.context().browser()!.newContext()).newPage();
  await signIn(other, BUYER);
  await other.goto(editor);
  await expect(other.getByLabel("Texte (Markdown)")).toHaveValue(/Dernière phrase tapée\.$/);
});

test("two buyers publishing at once: the second gets a clear conflict and keeps the text", async ({ page, browser }) => {
  await signIn(page, BUYER);
  const editor = await createConsultation(page, "Entretien des espaces verts (conflit)");
  await writeText(page, V1);

  const colleague = await (await browser.newContext()).newPage();
  await signIn(colleague, BUYER);
  await colleague.goto(editor);
  await colleague.waitForFunction(() => document.documentElement.dataset.hydrated === "true");

  await publish(page, 1);

  // The colleague's editor still believes there is no version: publishing collides.
  await colleague.getByRole("button", { name: "Publier la version 1" }).click();
  await colleague.getByRole("button", { name: "Confirmer la publication" }).click();
  const alert = colleague.getByRole("alert").filter({ hasText: "La version 1 a été publiée par Claire Moreau" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("reste dans l'éditeur");
  await expect(colleague.getByLabel("Texte (Markdown)")).toHaveValue(V1);
  await colleague.screenshot({ path: "screenshots/editor-conflict.png", fullPage: true });

  // Having read version 1, the colleague publishes on top of it. The live diff now compares with
  // version 1, the version that won (it used to keep comparing with the text before it), and a
  // copy of version 1 is not offered for publication.
  await colleague.getByRole("button", { name: "Publier mon texte comme version suivante" }).click();
  const diff = colleague.locator(".live-diff");
  await expect(diff.getByRole("heading")).toHaveText("Modifications depuis la version 1");
  await expect(diff).toContainText("0 modifiée(s)");
  await expect(colleague.locator("#unchanged-note")).toContainText("identiques à ceux de la version 1");
  await expect(colleague.getByRole("button", { name: "Confirmer la publication" })).toBeDisabled();
  await colleague.locator(".publish-panel").scrollIntoViewIfNeeded();
  await colleague.screenshot({ path: "screenshots/editor-rebased.png", fullPage: true });
  await colleague.getByLabel("Texte (Markdown)").fill(`${V1}\nPhrase ajoutée par le collègue.\n`);
  await expect(diff).toContainText("1 modifiée(s)");
  await expect(diff.locator("ins")).toContainText("Phrase ajoutée par le collègue.");
  await expect(colleague.locator("#unchanged-note")).toHaveCount(0);
  await colleague.getByLabel("Ce qui change dans cette version (obligatoire)").fill("Relecture du collègue.");
  await colleague.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(colleague.getByText("Version 2 publiée.")).toBeVisible();
});

test("malicious Markdown runs nothing, in the live preview or once published", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signIn(page, BUYER);
  const editor = await createConsultation(page, "Entretien des espaces verts (texte piégé)");
  const attack = `## 1 Objet <img src=x onerror="window.__pwned='img';alert('img')">

<script>window.__pwned = 'script'; alert('script')</script>

<iframe src="javascript:alert('iframe')"></iframe>

[Cliquez ici](javascript:window.__pwned='link') et [là](JaVaScRiPt:alert('link2'))

<a href="#" onclick="window.__pwned='onclick'">un lien piégé</a> <svg onload="window.__pwned='svg'"></svg>

![image](javascript:alert('image')) <details open ontoggle="window.__pwned='toggle'">x</details>
`;
  await writeText(page, attack);
  const preview = page.getByRole("region", { name: "Aperçu" });
  await expect(preview).toContainText("Cliquez ici");
  await expect(preview).toContainText("<script>", { useInnerText: true });
  await preview.getByText("Cliquez ici").click();
  await preview.getByText("un lien piégé").click();
  const dangerous = "script, img, iframe, svg, details, [onerror], [onclick], [onload], [ontoggle], a[href^='javascript' i]";
  await expect(preview.locator(dangerous)).toHaveCount(0);
  await page.screenshot({ path: "screenshots/editor-malicious.png", fullPage: true });

  await publish(page, 1);
  await page.goto(editor.replace(/\/rediger$/, ""));
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  const text = page.locator("article.spec__text");
  await expect(text).toContainText("Cliquez ici");
  await expect(text.locator(dangerous)).toHaveCount(0);
  await text.getByText("un lien piégé").click();

  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
});

test("a specification above 2 MB is refused with a clear message", async ({ page }) => {
  await signIn(page, BUYER);
  await createConsultation(page, "Entretien des espaces verts (trop long)");
  const huge = "## 1 Objet\n\n" + "Texte de remplissage pour dépasser la limite. ".repeat(50_000);
  await page.getByLabel("Texte (Markdown)").fill(huge);
  await expect(page.getByRole("alert").filter({ hasText: "taille maximale de 2 Mo" }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Publier la version 1" })).toBeDisabled();
});
