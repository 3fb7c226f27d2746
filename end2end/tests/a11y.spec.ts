import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { BUYER, EVERY_PAGE, hydrated, signIn, submitConsultationFacts, submitOrganisation } from "./helpers";

// axe-core (the engine behind most accessibility audits) on every page for every role, and on
// the states a page goes through (forms open, errors shown): any violation of WCAG 2.1 A/AA that
// it can detect, colour contrast included, fails the run. What axe cannot judge (reading order,
// wording) is covered by the keyboard and screen-reader-oriented journeys.

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** The violations on the page as it is now, one line each ("rule: selector (message)"). */
async function violations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return violations.flatMap((v) =>
    v.nodes.slice(0, 3).map((n) => `${where} — ${v.id}: ${n.target.join(" ")} (${n.failureSummary?.split("\n")[1]?.trim() ?? v.help})`),
  );
}

for (const [who, paths] of EVERY_PAGE) {
  test(`no accessibility violation on any page (${who ?? "visitor"})`, async ({ page }) => {
    test.setTimeout(90_000);
    if (who) await signIn(page, who);
    const found: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      await hydrated(page);
      found.push(...(await violations(page, path)));
    }
    expect(found).toEqual([]);
  });
}

test("no accessibility violation in the states of the dialogue (forms, errors)", async ({ page }) => {
  test.setTimeout(90_000);
  const found: string[] = [];

  // A company opens the contribution form on a clause, then sends it empty: the errors show.
  await signIn(page, "entreprise@demo.jesaisfaire.fr");
  await page.goto("/consultations/1");
  await hydrated(page);
  await page.getByRole("button", { name: /Contribuer sur cette clause/ }).first().click();
  const form = page.getByRole("form", { name: "Nouvelle contribution" });
  await expect(form).toBeVisible();
  found.push(...(await violations(page, "contribution form")));
  await form.getByRole("button", { name: "Publier la contribution" }).click();
  await expect(form.getByRole("alert").first()).toBeVisible();
  found.push(...(await violations(page, "contribution form with errors")));
  await page.keyboard.press("Escape");
  // « Annoter un passage » open, and the confirmation before withdrawing.
  await page.getByRole("button", { name: "Annoter un passage" }).first().click();
  await expect(page.getByLabel("Texte de la clause")).toBeFocused();
  found.push(...(await violations(page, "passage field")));
  // A card's forms, drawn when asked for: the redaction request on the company's own card.
  await page.locator("article.contribution--mine").first().getByRole("link", { name: /^Secret des affaires/ }).click();
  await expect(page.locator("input[name=passage]")).toBeFocused();
  found.push(...(await violations(page, "redaction request on a card")));

  // The buyer's new-consultation form refused by the server (the browser checks the rest).
  await page.context().clearCookies();
  await signIn(page, BUYER);
  // The buyer's reply and decision on a card.
  await page.goto("/consultations/1");
  await hydrated(page);
  await page.getByRole("link", { name: "Répondre ou décider" }).first().click();
  await expect(page.getByLabel("Votre réponse")).toBeFocused();
  found.push(...(await violations(page, "reply and decision on a card")));
  await page.goto("/acheteur/nouvelle-consultation");
  await hydrated(page);
  await submitConsultationFacts(page, { title: "Entretien des espaces verts", cpv: "7731" });
  await expect(page.getByRole("alert")).toContainText("n'est pas un code CPV");
  found.push(...(await violations(page, "new consultation with errors")));

  // A page nobody may see, and one that does not exist.
  await page.goto("/consultations/9999");
  await hydrated(page);
  found.push(...(await violations(page, "unknown consultation")));
  await page.goto("/nulle-part");
  await hydrated(page);
  found.push(...(await violations(page, "404")));

  expect(found).toEqual([]);
});

test("no accessibility violation in the editor's and the forms' states (contributions beside the text, field errors)", async ({ page }) => {
  test.setTimeout(90_000);
  const found: string[] = [];
  await signIn(page, BUYER);

  // The editor of a consultation with contributions, the caret in a clause that has some.
  await page.goto("/consultations/1/rediger");
  await hydrated(page);
  const area = page.getByLabel("Texte (Markdown)");
  await area.evaluate((el: HTMLTextAreaElement) => {
    el.focus();
    el.setSelectionRange(el.value.indexOf("Le titulaire réalise une visite"), el.value.indexOf("Le titulaire réalise une visite"));
  });
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("region", { name: "Contributions sur cette clause" })).toContainText("Entreprise A");
  await page.getByRole("button", { name: "Publier…" }).click();
  await expect(page.getByRole("button", { name: "Confirmer la publication" })).toBeVisible();
  found.push(...(await violations(page, "editor with contributions and confirmation")));

  // The calendar with a duration out of the rules (typed, not saved).
  await page.goto("/consultations/1/calendrier");
  await hydrated(page);
  await page.getByLabel("Durée des échanges (jours)").fill("30");
  await expect(page.getByLabel("Durée des échanges (jours)")).toHaveAttribute("aria-invalid", "true");
  found.push(...(await violations(page, "calendar with errors")));

  // The administrator's organisation form refused.
  await page.context().clearCookies();
  await signIn(page, "admin@demo.jesaisfaire.fr");
  await page.goto("/admin");
  await hydrated(page);
  const organisation = await submitOrganisation(page, "Atelier des Tests", "123", "99");
  await expect(organisation.getByLabel("SIREN ou SIRET")).toHaveAttribute("aria-invalid", "true");
  found.push(...(await violations(page, "admin form with errors")));

  expect(found).toEqual([]);
});
