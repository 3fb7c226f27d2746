import { expect, test, type Page } from "@playwright/test";
import { BUYER, hydrated, signIn } from "./helpers";

// Stored script injection (issue 14, defect A): markup typed into a title, a draft, criteria and
// a changelog is shown as text on every page of the consultation; nothing runs, nothing redirects,
// no element is created from it. `tests/injection.rs` checks the raw HTML of the same pages.

const PAYLOAD =
  '</title></textarea><img src=x onerror=alert(1)><script>alert(2)</script>' +
  '<svg onload=alert(3)><meta http-equiv=refresh content="0;url=https://evil.example">"\'';

async function watch(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return dialogs;
}

test("markup typed by a buyer stays text on every page", async ({ page }) => {
  const dialogs = await watch(page);
  await signIn(page, BUYER);
  const api = page.request;
  const created = await api.post("/api/consultations/create", {
    form: {
      title: `Essai ${PAYLOAD}`.slice(0, 200),
      object: PAYLOAD,
      cpv_codes: "77310000-6",
      departements: "77",
      mode: "open",
      expected_tender: "",
    },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(created.status());
  const id = Number(await created.text());
  const criteria = [
    { id: "", name: "Prix </title><img src=x onerror=alert(5)>", weight: 60, description: PAYLOAD },
    { id: "", name: "Valeur technique", weight: 40, description: "" },
  ];
  const markdown = `# ${PAYLOAD}\n\n## 1 Objet ${PAYLOAD}\n\n${PAYLOAD}\n\n[lien](javascript:alert(4))\n`;
  const published = await api.post("/api/consultations/publish", {
    data: { id, base_version: null, draft: { markdown, criteria, changelog: PAYLOAD } },
  });
  expect(published.status()).toBe(200);
  const saved = await api.post("/api/consultations/draft/save", {
    data: { id, revision: 1, draft: { markdown: `${markdown}${PAYLOAD}`, criteria, changelog: PAYLOAD } },
  });
  expect(saved.status()).toBe(200);

  for (const path of [
    `/consultations/${id}`,
    `/consultations/${id}/historique`,
    `/consultations/${id}/rediger`,
    `/consultations/${id}/calendrier`,
    `/consultations/${id}/contributions`,
    `/consultations/${id}/versions/1`,
    "/acheteur",
  ]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page, `${path}: no redirection`).toHaveURL(new RegExp(`${path.replace(/[?]/g, "\\?")}$`));
    const injected = await page.evaluate(() => ({
      images: document.querySelectorAll('img[src="x"]').length,
      svgs: document.querySelectorAll("svg[onload]").length,
      refresh: document.querySelectorAll('meta[http-equiv="refresh" i]').length,
      scripts: [...document.scripts].filter((s) => s.textContent?.trim().startsWith("alert(")).length,
      title: document.title,
    }));
    expect(injected, path).toMatchObject({ images: 0, svgs: 0, refresh: 0, scripts: 0 });
    if (!path.startsWith("/acheteur")) {
      expect(injected.title, `${path}: the title shows the text as typed`).toContain("</title></textarea><img src=x");
    }
  }
  // The editor's text area holds the draft exactly as typed.
  await page.goto(`/consultations/${id}/rediger`);
  await hydrated(page);
  await expect(page.getByLabel("Texte (Markdown)")).toHaveValue(`${markdown}${PAYLOAD}`);
  expect(dialogs, "no script ran").toEqual([]);
});
