import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { BUYER, createConsultation, hydrated, signIn } from "./helpers";

/** Opens the calendar page of a new consultation of the demo buyer. */
async function calendarPage(page: Page, title: string): Promise<string> {
  await signIn(page, BUYER);
  const editor = await createConsultation(page, title);
  const consultation = editor.replace(/\/rediger$/, "");
  await page.goto(`${consultation}/calendrier`);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Calendrier du sourcing");
  return consultation;
}

/** The phases as the browser computed them: [kind, start, end] from the phase table. */
async function browserPhases(page: Page): Promise<string[][]> {
  return page.locator(".phase-table tbody tr").evaluateAll((rows) =>
    rows.map((row) => [
      row.getAttribute("data-phase") ?? "",
      ...Array.from(row.querySelectorAll("td")).map((cell) => cell.getAttribute("data-date") ?? ""),
    ]),
  );
}

test("the buyer plans an open sourcing and sees the rules checked as they type", async ({ page }) => {
  const consultation = await calendarPage(page, "Espaces verts (calendrier)");
  const apiCalls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/")) apiCalls.push(request.url());
  });

  await page.getByLabel("Début du sourcing").fill("2027-03-01");
  await page.getByLabel("Durée de l'appel à participation (jours)").fill("14");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.getByLabel("Durée de l'appel à participation (jours)").fill("10");
  await expect(page.getByRole("alert")).toContainText("L'appel à participation doit durer au moins 2 semaines");
  await expect(page.getByRole("button", { name: "Enregistrer le calendrier" })).toBeDisabled();
  expect(apiCalls, "the rules are checked in the browser, without a server round trip").toEqual([]);
  await page.screenshot({ path: "screenshots/calendar-error.png", fullPage: true });

  await page.getByLabel("Durée de l'appel à participation (jours)").fill("14");
  await page.getByLabel("Durée des échanges (jours)").fill("14");
  await expect(page.getByRole("alert")).toHaveCount(0);
  // Monday 1 March 2027 + 14 days: the call closes on Sunday 14 March, moved to Monday 15.
  await expect(page.locator(".phase-table tr[data-phase=call] td").nth(1)).toHaveText("lundi 15 mars 2027");
  await page.getByRole("button", { name: "Enregistrer le calendrier" }).click();
  await expect(page.getByText("Calendrier enregistré.")).toBeVisible();
  await page.screenshot({ path: "screenshots/calendar.png", fullPage: true });

  await page.goto(consultation);
  const summary = page.getByRole("region", { name: "Calendrier du sourcing" });
  await expect(summary).toContainText("Appel à participation — du lundi 1er mars 2027 au lundi 15 mars 2027");
  await expect(summary.getByRole("img")).toBeVisible();
  await page.screenshot({ path: "screenshots/consultation-timeline.png", fullPage: true });
});

test("the browser and the server compute the same dates", async ({ page }) => {
  await calendarPage(page, "Espaces verts (mêmes dates)");
  const cases = [
    { start: "2026-12-21", call: 14, exchanges: 14, drafting: 21, alsace: false }, // Christmas, New Year
    { start: "2026-12-21", call: 14, exchanges: 14, drafting: 21, alsace: true }, // + 26 December
    { start: "2027-04-26", call: 14, exchanges: 10, drafting: 30, alsace: false }, // 1 and 8 May, Ascension
    { start: "2027-03-15", call: 15, exchanges: 7, drafting: 21, alsace: true }, // Good Friday, Easter Monday
    { start: "2027-07-10", call: 20, exchanges: 12, drafting: 25, alsace: false }, // a Saturday, 14 July
    { start: "2028-05-01", call: 14, exchanges: 14, drafting: 14, alsace: false }, // Pentecost Monday
  ];
  for (const c of cases) {
    await page.getByLabel("Début du sourcing").fill(c.start);
    await page.getByLabel("Durée de l'appel à participation (jours)").fill(String(c.call));
    await page.getByLabel("Durée des échanges (jours)").fill(String(c.exchanges));
    await page.getByLabel("Rédaction du CCTP final (jours)").fill(String(c.drafting));
    await page.getByLabel("Jours fériés appliqués").selectOption(c.alsace ? "alsace_moselle" : "metropole");
    await expect(page.locator(".phase-table tbody tr")).toHaveCount(3);
    await expect(page.locator(".phase-table tr[data-phase=call] td").first()).toHaveAttribute("data-date", /\d{4}-\d\d-\d\d/);
    const browser = await browserPhases(page);
    const server = await page.evaluate(async (c) => {
      const response = await fetch("/api/calendar/preview", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          settings: {
            mode: "Open",
            start: c.start,
            call_days: c.call,
            exchange_days: c.exchanges,
            drafting_days: c.drafting,
            region: c.alsace ? "alsace_moselle" : "metropole",
          },
        }),
      });
      const preview = await response.json();
      const keys: Record<string, string> = { call_for_participation: "call", exchanges: "exchanges", drafting: "drafting" };
      return (preview.phases as { kind: string; start: string; end: string }[]).map((p) => [keys[p.kind], p.start, p.end]);
    }, c);
    expect(browser, `case ${JSON.stringify(c)}`).toEqual(server);
  }
});

test("a company builds a retro-planning from day J, ticks tasks and downloads it", async ({ page }) => {
  await signIn(page, "entreprise@demo.jesaisfaire.fr");
  await page.goto("/entreprise");
  await page.getByRole("link", { name: "Mon rétroplanning" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mon rétroplanning");
  await hydrated(page);

  await page.getByLabel("Appel d'offres visé").fill("Maintenance informatique — préfecture 77");
  await page.getByLabel("Date de remise des offres (J)").fill("2027-09-15");
  // Computed in the browser as the date is typed.
  await expect(page.getByText("Entre J-12 mois et J-8 mois — du mardi 15 septembre 2026")).toBeVisible();
  await page.getByRole("button", { name: "Créer le rétroplanning" }).click();

  const plan = page.getByRole("region", { name: "Maintenance informatique — préfecture 77" });
  await expect(plan).toContainText("Remise des offres (J) : mercredi 15 septembre 2027");
  const task = plan.getByLabel("Déposer la candidature et l'offre", { exact: true });
  await task.check();
  await expect(plan.getByText("Enregistré").first()).toBeVisible();
  await plan.getByLabel("Note : Lire l'avis de publicité et les documents de la consultation").fill("Avis attendu fin juillet");
  await plan.getByLabel("Note : Lire l'avis de publicité et les documents de la consultation").blur();
  await expect(plan.getByText("Enregistré")).toHaveCount(2);
  await page.screenshot({ path: "screenshots/retro-planning.png", fullPage: true });

  await page.reload();
  await hydrated(page);
  const reloaded = page.getByRole("region", { name: "Maintenance informatique — préfecture 77" });
  await expect(reloaded.getByLabel("Déposer la candidature et l'offre", { exact: true })).toBeChecked();
  await expect(reloaded.getByLabel("Note : Lire l'avis de publicité et les documents de la consultation")).toHaveValue("Avis attendu fin juillet");

  const download = page.waitForEvent("download");
  await reloaded.getByRole("link", { name: "Télécharger le calendrier (.ics)" }).click();
  const file = await (await download).path();
  const ics = readFileSync(file, "utf8");
  expect(ics).toContain("BEGIN:VCALENDAR");
  expect(ics.match(/BEGIN:VEVENT/g)?.length).toBe(4);
  expect(ics).toContain("DTSTART;VALUE=DATE:20270915");
});

test("exchanges prolonged by a late version are explained and the calendar still saves", async ({ page }) => {
  const consultation = await calendarPage(page, "Espaces verts (prolongation)");
  const id = Number(consultation.split("/").pop());
  const api = page.request;
  const publish = (base: number | null, markdown: string, changelog: string) =>
    api.post("/api/consultations/publish", { data: { id, base_version: base, draft: { markdown, criteria: [], changelog } } });
  expect((await publish(null, "## 1 Objet\n\nTonte.\n", "")).status()).toBe(200);
  expect((await api.post("/api/consultations/status", { form: { id: String(id), to: "announced" }, maxRedirects: 0 })).status()).toBeLessThan(400);
  // Exchanges of 14 days ending tomorrow (the server's day is 2 December 2026).
  const saved = await api.post("/api/consultations/calendar", {
    data: { id, settings: { mode: "Open", start: "2026-11-05", call_days: 14, exchange_days: 14, drafting_days: 21 } },
  });
  expect(saved.status()).toBe(200);
  expect((await publish(1, "## 1 Objet\n\nTonte et taille.\n", "Taille ajoutée.")).status()).toBe(200);
  await page.goto(`${consultation}/calendrier`);
  await hydrated(page);
  await expect(page.locator("#extension-note")).toContainText("Les échanges ont été prolongés de");
  await expect(page.getByLabel("Durée des échanges (jours)")).toHaveValue("14");
  await page.getByRole("button", { name: "Enregistrer le calendrier" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Calendrier enregistré." })).toBeVisible();
  await page.locator("#extension-note").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "screenshots/calendar-extended.png", fullPage: true });
});
