import { expect, test, type Page } from "@playwright/test";
import { BUYER, PASSWORD, consultationInExchanges, hydrated, signIn } from "./helpers";

// A person without a mouse: the skip link, then annotating words of a clause with the keyboard
// alone (the company's side of this journey sends no mouse event: only keys).

const TEXT = `# Entretien des espaces verts

## 1 Objet

Tonte, taille et désherbage des trois sites de la communauté de communes.

## 2 Délais

Le titulaire intervient sous huit jours ouvrés après chaque demande, et sous deux jours en cas de chute d'arbre.
`;

/** What has the focus: its tag, accessible text and whether it is inside `selector`. */
async function focused(page: Page, selector = "main") {
  return page.evaluate((selector) => {
    const e = document.activeElement as HTMLElement | null;
    return {
      tag: e?.tagName.toLowerCase() ?? "",
      text: (e?.getAttribute("aria-label") ?? e?.textContent ?? "").trim(),
      inside: !!e?.closest(selector),
      clause: e?.closest(".clause")?.querySelector(".clause__text")?.textContent ?? "",
    };
  }, selector);
}

/** Presses Tab (or `key`) until the focus is on `text` in the clause that says `clause`
 * (at most `limit` times); returns how many. */
async function tabTo(page: Page, text: string, clause: string, limit = 80, key = "Tab") {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press(key);
    const now = await focused(page, "body");
    if (now.text === text && now.clause.includes(clause)) return i;
  }
  throw new Error(`« ${text} » not reached in ${limit} Tab presses`);
}

test("the skip link takes the keyboard into the page", async ({ page }) => {
  await page.goto("/consultations/1");
  await hydrated(page);
  await page.keyboard.press("Tab");
  expect((await focused(page, "body")).text).toBe("Aller au contenu");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  const next = await focused(page);
  expect(next.inside, `the next Tab lands in the page, not in the header: ${next.tag} « ${next.text} »`).toBe(true);
});

test("a company annotates words of a clause with the keyboard only", async ({ page, browser }) => {
  test.setTimeout(90_000);
  // The buyer's part (with the mouse): a consultation in its exchanges.
  await signIn(page, BUYER);
  const consultation = await consultationInExchanges(page, "Espaces verts (clavier)", TEXT);

  // The company, keys only: sign in, take part, annotate.
  const company = await (await browser.newContext()).newPage();
  await company.goto("/connexion");
  await hydrated(company);
  await company.getByLabel("Adresse e-mail").focus();
  await company.keyboard.type("entreprise@demo.jesaisfaire.fr");
  await company.keyboard.press("Tab");
  await company.keyboard.type(PASSWORD);
  await company.keyboard.press("Enter");
  await expect(company.getByRole("navigation", { name: "Navigation principale" })).toContainText("Se déconnecter");
  await company.goto(consultation);
  await hydrated(company);
  await tabTo(company, "Participer à ce sourcing", "", 60);
  await company.keyboard.press("Enter");
  await expect(company.locator(".participation")).toContainText("Vous participez sous le nom");

  const presses = await tabTo(company, "Annoter un passage", "2 Délais");
  expect(presses).toBeLessThan(40);
  await company.keyboard.press("Enter");
  const field = company.getByLabel("Texte de la clause");
  await expect(field).toBeFocused();
  const words = "huit jours ouvrés";
  // Nothing chosen yet: Enter says what to do.
  await company.keyboard.press("Enter");
  await expect(company.getByRole("group", { name: "Annoter un passage" }).getByRole("alert")).toContainText("Maj + flèches");
  const at = await field.evaluate((f: HTMLTextAreaElement, w) => f.value.indexOf(w), words);
  expect(at).toBeGreaterThan(0);
  for (let i = 0; i < at; i++) await company.keyboard.press("ArrowRight");
  for (let i = 0; i < words.length; i++) await company.keyboard.press("Shift+ArrowRight");
  await company.keyboard.press("Enter");

  const form = company.getByRole("form", { name: "Nouvelle contribution" });
  await expect(form).toContainText(`« ${words} »`);
  expect((await focused(company, "form.contribution-form")).inside, "the focus moved into the form").toBe(true);
  // Escape closes it; the focus goes back to the button that started it.
  await company.keyboard.press("Escape");
  await expect(form).toHaveCount(0);
  expect((await focused(company, "body")).text).toBe("Annoter un passage");

  // Again, to the end this time.
  await company.keyboard.press("Enter");
  await expect(field).toBeFocused();
  for (let i = 0; i < at; i++) await company.keyboard.press("ArrowRight");
  for (let i = 0; i < words.length; i++) await company.keyboard.press("Shift+ArrowRight");
  await company.keyboard.press("Enter");
  await expect(form).toContainText(`« ${words} »`);
  await company.keyboard.press("ArrowDown"); // the type: « Demande de précision »
  await expect(form.getByLabel("Demande de précision")).toBeChecked();
  await company.keyboard.press("Tab");
  await expect(form.getByLabel("Justification (obligatoire)")).toBeFocused();
  await company.keyboard.type("Les jours ouvrés comptent-ils le samedi ?");
  await company.keyboard.press("Tab"); // the cost's choices
  await company.keyboard.press("Tab"); // the amount
  await company.keyboard.press("Tab"); // « Publier la contribution »
  expect((await focused(company, "body")).text).toBe("Publier la contribution");
  await company.keyboard.press("Enter");
  const mine = company.locator(".contribution").filter({ hasText: "le samedi ?" });
  await expect(mine).toContainText("(vous)");
  await expect(mine).toContainText(`« ${words} »`);
  await expect(company.locator("mark.annotation-mark")).toHaveText(words);
  await company.locator(".clause").filter({ hasText: "2 Délais" }).screenshot({ path: "screenshots/keyboard-annotation.png" });

  // Withdrawing asks first (a plain disclosure: also without JavaScript).
  await tabTo(company, "Retirer", "2 Délais", 20, "Shift+Tab");
  await company.keyboard.press("Enter");
  const confirm = mine.getByRole("group", { name: "Confirmer le retrait" });
  await expect(confirm).toContainText("Retirer cette contribution ?");
  await expect(mine).not.toContainText("Retirée");
  await mine.screenshot({ path: "screenshots/withdraw-confirm.png" });
  await company.keyboard.press("Tab");
  expect((await focused(company, "body")).text).toBe("Oui, retirer");
  await company.keyboard.press("Enter");
  await expect(mine.locator(".badge--withdrawn")).toHaveText("Retirée");
  // Its highlight goes with it: the clause's text is drawn again without the mark.
  await expect(company.locator("mark.annotation-mark")).toHaveCount(0);
  await expect(company.locator(".clause").filter({ hasText: "2 Délais" })).toContainText(words);
});
