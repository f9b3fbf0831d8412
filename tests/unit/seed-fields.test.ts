// Every seed field of the Data card parses with the one seed rule (seedFromField: a safe integer, as links and
// files require): typing 1e20 changes nothing, since the page's own address would then be a link that refuses to
// open. The card is a function of its props: its elements are walked and their change handlers called.
import { describe, expect, it } from 'vitest';
import type { ReactElement, ReactNode } from 'react';
import { DataCard } from '../../src/app/components/DataCard';
import { defaultDataSpec } from '../../src/core/datasets';
import { parseHash, toHash } from '../../src/app/urlState';
import { LESSONS } from '../../src/app/lessons';

type Props = {
  type?: string;
  onChange?: (e: { target: { value: string } }) => void;
  children?: ReactNode;
  'data-testid'?: string;
};

/** Every element of a tree of plain elements (the card's own; components inside it are not expanded). */
function elements(node: ReactNode, out: ReactElement<Props>[] = []): ReactElement<Props>[] {
  if (Array.isArray(node)) node.forEach((n) => elements(n, out));
  else if (node && typeof node === 'object' && 'props' in node) {
    const el = node as ReactElement<Props>;
    out.push(el);
    elements(el.props.children, out);
  }
  return out;
}

describe('the Data card’s seed fields', () => {
  it('take a whole number within ±2⁵³ and ignore 1e20, 1.5 and an empty field (the held-out seed included)', () => {
    const data: { seed?: number }[] = [];
    const held: number[] = [];
    const card = DataCard({
      data: defaultDataSpec('hetero-sine'),
      ownPoints: 40,
      keepWeights: false,
      onKeepWeights() {},
      onChange: (p) => data.push(p),
      heldOut: { share: 0.2, seed: 1 },
      onHeldOut: (_, seed) => held.push(seed),
    });
    const seedInputs = elements(card).filter((e) => e.type === 'input' && e.props.type === 'number');
    expect(seedInputs.length).toBe(2);
    for (const input of seedInputs)
      for (const text of ['1e20', '1.5', '', ' ', '12']) input.props.onChange!({ target: { value: text } });
    expect(held).toEqual([12]);
    expect(data).toEqual([{ seed: 12 }]);
    // What 1e20 would have done: the address of the run refuses to open.
    const config = { ...LESSONS[0].config, train: { ...LESSONS[0].config.train, heldOut: { share: 0.2, seed: 12 } } };
    expect(parseHash(toHash({ config, lessonId: null })).error).toBeNull();
    const beyond = { ...config, train: { ...config.train, heldOut: { share: 0.2, seed: 1e20 } } };
    expect(parseHash(toHash({ config: beyond, lessonId: null })).error).not.toBeNull();
  });
});
