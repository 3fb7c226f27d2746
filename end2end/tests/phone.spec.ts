import { expect, test, type Browser } from "@playwright/test";
import { BUYER, EVERY_PAGE, createConsultation, hydrated, signIn } from "./helpers";

// Every page at 390×844, for each role that reads it: nothing scrolls sideways (a phone would
// otherwise zoom the whole page out and cut every line). Wide tables scroll inside their box.

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function phone(browser: Browser, email?: string) {
  const page = await (await browser.newContext(PHONE)).newPage();
  if (email) await signIn(page, email);
  return page;
}


for (const [who, paths] of EVERY_PAGE) {
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
    if (!who) {
      for (const [path, name] of [["/consultations/1", "phone-consultation"], ["/consultations/1/comparer", "phone-compare"]]) {
        await page.goto(path);
        await hydrated(page);
        await page.screenshot({ path: `screenshots/${name}.png` });
      }
    }
  });
}
