// Parses Mermaid diagrams with the real Mermaid parser: `node check.mjs FILE...`.
// Exits 0 when every file parses, 1 with the parser's message otherwise.
// Mermaid's parse() sanitises text with DOMPurify, which needs a DOM: jsdom provides one.
// Installed by scripts/test with `npm install --prefix crates/strata-docs/tests/mermaid`.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
globalThis.HTMLElement = dom.window.HTMLElement;

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    const result = await mermaid.parse(text);
    if (!result || result.diagramType !== "er") {
      throw new Error(`expected an erDiagram, got ${result && result.diagramType}`);
    }
    console.log(`ok ${file}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${file}: ${e && e.message ? e.message : e}`);
  }
}
process.exit(failed ? 1 : 0);
