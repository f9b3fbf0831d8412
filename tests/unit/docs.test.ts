// The generated pages of docs/ are what `npm run docs` writes from the committed results and the code, byte for
// byte; and the README stays a front door: short, linking every page of docs/.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDocs } from '../../scripts/docs/index';
import { CLASS_LESSONS } from '../../src/app/classify/lessons';
import { LESSONS } from '../../src/app/lessons';

describe('docs/', () => {
  it('every generated page equals what npm run docs writes from results/', async () => {
    for (const { path, text } of await renderDocs()) {
      const committed = readFileSync(path, 'utf8');
      expect(committed === text, `${path} differs from what it is generated as: run \`npm run docs\``).toBe(true);
    }
  });

  it('the README is at most 150 lines and links every page of docs/', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme.split('\n').length, 'README.md is over 150 lines').toBeLessThanOrEqual(150);
    for (const page of readdirSync('docs').filter((f) => f.endsWith('.md')))
      expect(readme, `README.md does not link docs/${page}`).toContain(`(docs/${page})`);
    for (const { id } of [...LESSONS, ...CLASS_LESSONS])
      expect(readme, `README.md does not list the lesson ${id}`).toContain(`(\`${id}\`)`);
  });
});
