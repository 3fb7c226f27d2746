import { expect, test, type Browser } from "@playwright/test";
import { BUYER, createConsultation, hydrated, signIn } from "./helpers";

// Every page at 390×844, for each role that reads it: nothing scrolls sideways (a phone would
// otherwise zoom the whole page out and cut every line). Wide tables scroll inside their box.
// Not yet: the buyer's synthesis (/consultations/1/contributions) is 455 px wide (its decision
// select and label); to fix under issue 18.

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function phone(browser: Browser, email?: string) {
  const page = await (await browser.newContext(PHONE)).newPage();
  if (email) await signIn(page, email);
  return page;
}

const PAGES: [string | undefined, string[]][] = [
  [undefined, ["/", "/connexion", "/inscription", "/inscription/envoyee", "/consultations/1", "/consultations/1/versions/1", "/consultations/1/comparer", "/consultations/1/historique",
    "/besoins", "/besoins?periode=2027&vue=annee", "/besoins/1"]],
  [BUYER, ["/acheteur", "/acheteur/nouvelle-consultation", "/consultations/1", "/consultations/1/calendrier",
    "/consultations/1/comptes-rendus", "/consultations/1/relecture", "/consultations/1/registres", "/consultations/1/rediger",
    "/consultations/1/dossier?edition=interne", "/compte", "/consultations/1/invitations?recherche=1&cpv=&departement=&mots=",
    "/besoins/1", "/besoins/nouveau", "/notifications"]],
  ["entreprise@demo.jesaisfaire.fr", ["/entreprise", "/entreprise/planning", "/consultations/1", "/consultations/1/comptes-rendus", "/compte", "/besoins/1", "/notifications"]],
  ["relecteur@demo.jesaisfaire.fr", ["/relecture", "/"]],
  ["admin@demo.jesaisfaire.fr", ["/admin"]],
];

for (const [who, paths] of PAGES) {
  test(`no page scrolls sideways on a phone (${who ?? "visitor"})`, async ({ browser }) => {
    test.setTimeout(60_000);
    const page = await phone(browser, who);
    if (who === BUYER) {
      // A title typed without spaces must break, not widen the buyer's and reviewer's lists.
      await createConsultation(page, "Référence-" + "ABCDEFGHIJ".repeat(6));
    }
    const wide: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      await hydrated(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) {
        const culprits = await page.evaluate(() =>
          [...document.querySelectorAll("main *")]
            .filter((e) => e.getBoundingClientRect().right > 391 && !e.closest(".table-scroll, .criteria"))
            .slice(0, 4)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
        );
        wide.push(`${path}: ${width} px (${culprits.join(", ")})`);
      }
    }
    expect(wide).toEqual([]);
  });
}
