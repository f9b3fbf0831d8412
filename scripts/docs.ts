// npm run docs: writes every generated page of docs/ (scripts/docs/) from the committed results under results/ and
// the code. tests/unit/docs.test.ts fails when a committed page differs from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderDocs } from './docs/index';

for (const { path, text } of await renderDocs()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
