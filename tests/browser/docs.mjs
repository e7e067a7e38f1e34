// Opens a `strata docs` site in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) from file://, as a reader would, and checks what a reader sees:
//
//   - the overview lists every table (the table list and the sidebar) and shows a rendered SVG
//     ERD (table boxes with a real size on screen);
//   - a table page shows its name, its columns and its neighbourhood ERD;
//   - the search box filters the sidebar;
//   - no console errors, page errors or failed requests anywhere (so nothing was fetched from
//     the network: every asset ships in the site).
//
// Usage: node docs.mjs SITE_DIR TABLE_SLUG SHOT_DIR LABEL [SEARCH_TERM]
// Screenshots: SHOT_DIR/LABEL-index.png (viewport), LABEL-index-full.png, LABEL-table.png.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";
import fs from "node:fs";

const [site, tableSlug, shotDir, label, term] = process.argv.slice(2);
if (!site || !tableSlug || !shotDir || !label) {
  console.error("usage: node docs.mjs SITE_DIR TABLE_SLUG SHOT_DIR LABEL [SEARCH_TERM]");
  process.exit(2);
}
fs.mkdirSync(shotDir, { recursive: true });
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const userDataDir = fs.mkdtempSync(path.join(process.env.TMPDIR || "/tmp", "strata-chromium-"));

const failures = [];
const check = (ok, what) => {
  if (ok) console.log(`  ok   ${what}`);
  else {
    console.log(`  FAIL ${what}`);
    failures.push(what);
  }
};

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

async function open(file) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) problems.push(`network request: ${r.url()}`);
  });
  const url = pathToFileURL(path.resolve(site, file)).href;
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => document.querySelectorAll("#nav-list li").length > 0);
  return { page, problems };
}

// A diagram is rendered when its table boxes have a real size on screen.
async function erdBoxes(page) {
  return page.evaluate(() => {
    const svg = document.querySelector(".erd-canvas svg");
    if (!svg) return { boxes: 0, width: 0, height: 0, edges: 0 };
    const r = svg.getBoundingClientRect();
    const boxes = [...svg.querySelectorAll("g.t rect")].filter((x) => {
      const b = x.getBoundingClientRect();
      return b.width > 0 && b.height > 0;
    }).length;
    return { boxes, width: r.width, height: r.height, edges: svg.querySelectorAll("path.e").length, tables: svg.querySelectorAll("g.t").length };
  });
}

console.log(`${label}: ${path.resolve(site)}`);
{
  const { page, problems } = await open("index.html");
  const expected = await page.evaluate(() => window.STRATA_DOCS.tables.length);
  const listed = await page.locator("#tables-list tbody tr").count();
  const nav = await page.locator("#nav-list li a").count();
  check(expected > 0, `the site describes tables (${expected})`);
  check(listed === expected, `overview lists every table (${listed}/${expected})`);
  check(nav === Math.min(expected, 300), `sidebar lists the tables (${nav})`);
  const erd = await erdBoxes(page);
  // Above 100 tables the overview draws the 50 most connected ones (html/render.rs).
  const drawn = expected <= 100 ? expected : 50;
  check(erd.tables === drawn, `overview ERD has a box per table (${erd.tables}/${drawn})`);
  check(erd.boxes > 0 && erd.width > 50 && erd.height > 50, `overview ERD is rendered (${erd.boxes} shapes, ${Math.round(erd.width)}x${Math.round(erd.height)} px)`);
  await page.screenshot({ path: path.join(shotDir, `${label}-index.png`) });
  await page.screenshot({ path: path.join(shotDir, `${label}-index-full.png`), fullPage: true });

  if (term) {
    await page.fill("#search", term);
    const hits = await page.locator("#nav-list li a").count();
    const rows = await page.locator("#tables-list tbody tr:not([hidden])").count();
    check(hits > 0 && hits < expected, `search "${term}" narrows the sidebar (${hits} of ${expected})`);
    check(rows > 0 && rows < expected, `search "${term}" filters the overview list (${rows} of ${expected})`);
    await page.fill("#search", "");
  }
  // Following a table link in the overview opens its page.
  await page.locator(`#tables-list a[href="tables/${tableSlug}.html"]`).first().click();
  await page.waitForURL(`**/tables/${tableSlug}.html`);
  check(true, `overview links to tables/${tableSlug}.html`);
  check(problems.length === 0, `overview: no console errors or network requests${problems.length ? ": " + problems.join("; ") : ""}`);
  await page.close();
}
{
  const { page, problems } = await open(`tables/${tableSlug}.html`);
  const h1 = (await page.locator("h1").innerText()).trim();
  const cols = await page.locator("#columns tbody tr").count();
  check(h1.length > 0, `table page has a title (${h1})`);
  check(cols > 0, `table page lists columns (${cols})`);
  const erd = await erdBoxes(page);
  check(erd.boxes > 0 && erd.width > 50, `table page has a rendered neighbourhood ERD (${erd.tables} tables, ${erd.edges} relationships)`);
  const focused = await page.locator(".erd-canvas g.t.focus").count();
  check(focused === 1, "the table is highlighted in its diagram");
  const links = await page.locator("#relationships a").count();
  console.log(`  info ${links} relationship links`);
  await page.screenshot({ path: path.join(shotDir, `${label}-table.png`), fullPage: true });
  check(problems.length === 0, `table page: no console errors or network requests${problems.length ? ": " + problems.join("; ") : ""}`);
  await page.close();
}
{
  const { page, problems } = await open("changelog.html");
  const text = await page.locator("main").innerText();
  check(text.includes("Changelog"), "changelog page renders");
  check(problems.length === 0, `changelog: no console errors${problems.length ? ": " + problems.join("; ") : ""}`);
  await page.close();
}

await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
if (failures.length) {
  console.log(`${label}: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`${label}: all checks passed; screenshots in ${shotDir}`);
