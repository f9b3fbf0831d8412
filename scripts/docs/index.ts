// Every generated page of docs/: its path and its text, rendered from the committed results and the code, then
// through Prettier with the repository's own configuration, so the file on disk is exactly what this returns.
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { dataPage } from './data';
import { lessonsPage } from './lessons';
import { performancePage } from './performance';
import { reproductionsPage } from './reproductions';
import { loadResults, type Results } from './results';

export const DOC_PAGES: { path: string; render: (results: Results, root: string) => string }[] = [
  { path: 'docs/lessons.md', render: lessonsPage },
  { path: 'docs/reproductions.md', render: reproductionsPage },
  { path: 'docs/performance.md', render: performancePage },
  { path: 'docs/data.md', render: dataPage },
];

/** Every generated page as it must stand on disk, from the repository at `root`. */
export async function renderDocs(root = '.'): Promise<{ path: string; text: string }[]> {
  const results = loadResults(root);
  return Promise.all(
    DOC_PAGES.map(async ({ path, render }) => {
      const file = join(root, path);
      const config = (await resolveConfig(file)) ?? {};
      return { path, text: await format(render(results, root), { ...config, parser: 'markdown', filepath: file }) };
    }),
  );
}
