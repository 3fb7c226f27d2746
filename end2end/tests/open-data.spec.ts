import { expect, test } from "@playwright/test";
import { hydrated } from "./helpers";

// A reuser (a journalist, a researcher, another buyer) finds the open data from a consultation
// page, reads what each dataset holds, and downloads the files the page links to.

test("the open data is found from a consultation page, described, and downloadable", async ({ page, request }) => {
  await page.goto("/consultations/1");
  await hydrated(page);
  await page.getByRole("contentinfo").getByRole("link", { name: "Données ouvertes" }).click();
  await expect(page).toHaveURL(/\/donnees$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Données ouvertes");
  await expect(page.getByText(/Licence Ouverte 2\.0/).first()).toBeVisible();
  await expect(page.getByText(/consultations publiées, \d+ publications OCDS/)).toBeVisible();

  // Each dataset: its rows, its file and its schema; the columns on demand.
  const consultations = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Consultations de sourcing" }) });
  await expect(consultations.getByRole("link", { name: "consultations.csv" })).toHaveAttribute("href", "/donnees/consultations.csv");
  await consultations.getByText("Colonnes").click();
  await expect(consultations.getByText("date_previsionnelle_consultation")).toBeVisible();
  await page.screenshot({ path: "screenshots/open-data.png", fullPage: true });

  // What the links give.
  const csv = await request.get("/donnees/consultations.csv");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const text = await csv.text();
  expect(text).toContain("Maintenance du parc informatique");
  expect(text).not.toContain("Refonte du site internet"); // the demo's draft
  const schema = await request.get("/donnees/consultations.schema.json");
  expect((await schema.json()).fields[0].name).toBe("ocid");
  const bulk = await request.get("/donnees/ocds.jsonl.gz");
  expect(bulk.status()).toBe(200);
  expect(bulk.headers()["content-type"]).toBe("application/gzip");
  const etag = bulk.headers()["etag"];
  const again = await request.get("/donnees/ocds.jsonl.gz", { headers: { "If-None-Match": etag } });
  expect(again.status()).toBe(304);
});
