import { expect, test, type Browser, type Page } from "@playwright/test";
import { BUYER, createConsultation, hydrated, signIn } from "./helpers";

const COMPANY_A = "entreprise@demo.jesaisfaire.fr";
const COMPANY_B = "numerique@demo.jesaisfaire.fr";

const V1 = `# Maintenance des ascenseurs

## 1 Objet

Maintenance préventive et corrective des quatre ascenseurs de la cité administrative.

## 2 Délais

En cas de panne, le titulaire intervient sous huit heures ouvrées, et libère toute personne bloquée sous une heure.

## 3 Rapports

Un rapport trimestriel présente les interventions et l'état des appareils.
`;

const V2 = V1.replace("intervient sous huit heures ouvrées", "intervient sous quatre heures");

async function as(browser: Browser, email: string, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport, hasTouch: true, isMobile: true } : {});
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Selects `words` inside the text of the clause whose heading is `heading`, as a reader would. */
async function select(page: Page, heading: string, words: string) {
  await page.evaluate(
    ([heading, words]) => {
      const clause = [...document.querySelectorAll(".clause__text")].find((c) =>
        c.querySelector("h4, h5")?.textContent?.includes(heading),
      )!;
      const walker = document.createTreeWalker(clause, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(words);
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + words.length);
          const selection = window.getSelection()!;
          selection.removeAllRanges();
          selection.addRange(range);
          return;
        }
      }
      throw new Error(`"${words}" not found under ${heading}`);
    },
    [heading, words],
  );
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

test("companies annotate a clause anonymously, live; the buyer answers; version 2 outdates the annotation", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // The buyer publishes version 1 and opens the exchanges (by hand: no calendar).
  await signIn(page, BUYER);
  const editor = await createConsultation(page, "Maintenance des ascenseurs (annotations)");
  await page.getByLabel("Texte (Markdown)").fill(V1);
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  await page.getByRole("button", { name: "Publier la version 1" }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText("Version 1 publiée.")).toBeVisible();
  const consultation = editor.replace(/\/rediger$/, "");
  await open(page, consultation);
  for (const step of ["Annoncer la consultation", "Ouvrir l'appel à participation", "Ouvrir la phase d'échanges"]) {
    await page.getByRole("button", { name: step }).click();
    await expect(page.getByRole("button", { name: step })).toHaveCount(0);
  }
  await expect(page.locator(".consultation-header")).toContainText("Échanges en cours");

  // Both companies register: each gets a pseudonym.
  const a = await as(browser, COMPANY_A);
  const b = await as(browser, COMPANY_B);
  for (const [company, letter] of [
    [a, "A"],
    [b, "B"],
  ] as const) {
    await open(company, consultation);
    await company.getByRole("button", { name: "Participer à ce sourcing" }).click();
    await expect(company.locator(".participation")).toContainText(`Vous participez sous le nom Entreprise ${letter}`);
  }

  // A selects words of clause 2 and annotates them.
  await select(a, "2 Délais", "huit heures ouvrées");
  const bar = a.getByRole("region", { name: "Passage sélectionné" });
  await expect(bar).toContainText("« huit heures ouvrées »");
  await bar.getByRole("button", { name: "Annoter ce passage" }).click();
  const form = a.getByRole("form", { name: "Nouvelle contribution" });
  await expect(form).toContainText("« huit heures ouvrées »");
  await form.getByLabel("Demande de précision").check();
  // Nothing is sent without a justification: the reason is given, in French.
  await form.getByRole("button", { name: "Publier la contribution" }).click();
  await expect(form.getByRole("alert")).toContainText("la justification est obligatoire");
  await form.getByLabel("Justification (obligatoire)").fill("Les heures ouvrées s'entendent-elles du lundi au samedi ?");
  await form.getByLabel("À la hausse").check();
  await form.getByLabel("Montant estimé en euros HT (facultatif)").fill("1 200");
  await form.getByRole("button", { name: "Publier la contribution" }).click();
  const mine = a.locator(".contribution").filter({ hasText: "du lundi au samedi" });
  await expect(mine).toContainText("Entreprise A (vous)");
  await expect(mine).toContainText("1 200");
  await expect(a.locator("mark.annotation-mark")).toHaveText("huit heures ouvrées");
  await expect(a.locator(".outline__count")).toHaveText("1");

  // B sees it at once, under A's pseudonym, without reloading.
  const seen = b.locator(".contribution").filter({ hasText: "du lundi au samedi" });
  await expect(seen).toContainText("Entreprise A");
  await expect(seen).not.toContainText("(vous)");
  await expect(seen).toContainText("« huit heures ouvrées »");
  await expect(b.locator("mark.annotation-mark")).toHaveText("huit heures ouvrées");
  await expect(b.getByText("Brie Informatique")).toHaveCount(0);
  await b.locator(".clause").filter({ hasText: "2 Délais" }).screenshot({ path: "screenshots/annotation-seen-by-b.png" });

  // The buyer answers and retains it; A sees the answer without reloading.
  await open(page, consultation);
  const card = page.locator(".contribution").filter({ hasText: "du lundi au samedi" });
  await card.getByRole("link", { name: "Répondre ou décider" }).click();
  await card.getByLabel("Votre réponse").fill("Du lundi au vendredi, de 8 h à 18 h.");
  await card.getByRole("button", { name: "Répondre" }).click();
  await expect(card).toContainText("Répondue");
  await expect(mine.locator(".thread")).toContainText("L'acheteur");
  await expect(mine.locator(".thread")).toContainText("Du lundi au vendredi, de 8 h à 18 h.");
  await expect(mine).toContainText("Répondue");
  await page.screenshot({ path: "screenshots/annotation-buyer.png", fullPage: true });

  // A rewrites it; the history keeps the first wording.
  await mine.getByRole("button", { name: "Modifier" }).click();
  const edit = a.getByRole("form", { name: "Modifier la contribution" });
  await edit.getByLabel("Justification (obligatoire)").fill("Les heures ouvrées incluent-elles le samedi matin ?");
  await edit.getByRole("button", { name: "Enregistrer" }).click();
  const edited = a.locator(".contribution").filter({ hasText: "samedi matin" });
  await expect(edited).toContainText("Historique (1 modification)");

  // Version 2 rewrites those words: the annotation is outdated, its original text kept.
  await open(page, editor);
  await page.getByLabel("Texte (Markdown)").fill(V2);
  await expect(page.getByRole("status").filter({ hasText: /Enregistré à/ })).toBeVisible();
  await page.getByLabel("Ce qui change").fill("Délai d'intervention raccourci.");
  await page.getByRole("button", { name: "Publier la version 2" }).click();
  await page.getByRole("button", { name: "Confirmer la publication" }).click();
  await expect(page.getByText("Version 2 publiée.")).toBeVisible();
  await open(a, consultation);
  const outdated = a.locator(".contribution").filter({ hasText: "samedi matin" });
  await expect(outdated).toContainText("Texte modifié depuis");
  await outdated.getByText("Texte de la version 1 sur lequel elle portait").click();
  await expect(outdated.locator(".contribution__original")).toContainText("huit heures ouvrées");
  await expect(a.locator("mark.annotation-mark")).toHaveCount(0);
  await outdated.scrollIntoViewIfNeeded();
  await a.screenshot({ path: "screenshots/annotation-outdated.png" });

  // On a phone: select with a finger, annotate from the bar at the bottom of the screen.
  const phone = await as(browser, COMPANY_B, { width: 390, height: 844 });
  await open(phone, consultation);
  await select(phone, "3 Rapports", "rapport trimestriel");
  const phoneBar = phone.getByRole("region", { name: "Passage sélectionné" });
  await phoneBar.getByRole("button", { name: "Annoter ce passage" }).tap();
  const phoneForm = phone.getByRole("form", { name: "Nouvelle contribution" });
  await phoneForm.getByLabel("Solution proposée").check();
  await phoneForm.getByLabel("Justification (obligatoire)").fill("Un tableau de bord en ligne, mis à jour chaque mois.");
  await phoneForm.scrollIntoViewIfNeeded();
  await phone.screenshot({ path: "screenshots/annotation-phone-form.png" });
  await phoneForm.getByRole("button", { name: "Publier la contribution" }).tap();
  const phoneCard = phone.locator(".contribution").filter({ hasText: "tableau de bord" });
  await expect(phoneCard).toContainText("Entreprise B (vous)");
  await phoneCard.scrollIntoViewIfNeeded();
  await phone.screenshot({ path: "screenshots/annotation-phone.png" });

  // The buyer's synthesis and export.
  await open(page, `${consultation}/contributions`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Synthèse des contributions");
  await expect(page.locator(".overview-item")).toHaveCount(2);
  await page.getByLabel("Type").selectOption("solution");
  await expect(page.locator(".overview-item")).toHaveCount(1);
  await page.screenshot({ path: "screenshots/contributions-synthesis.png", fullPage: true });
});
