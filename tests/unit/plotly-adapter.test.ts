// The fields the page reads from Plotly's internals, pinned on a fake `_fullLayout` shaped as Plotly 4 lays
// it out. If an upgrade renames or moves them, these fail (and so would the installed Plotly's own shape).
import { describe, expect, it } from 'vitest';
import {
  axisGeometry,
  axisName,
  isLaidOut,
  pixelToData,
  rangesFromEvent,
  toData,
  toPixel,
} from '../../src/app/plotlyAdapter';

/** A plot element as Plotly leaves it: the x axis spans pixels 60–460 over [0, 10], y spans 20–320 over [−1, 1]. */
function fakePlot(overrides: Record<string, unknown> = {}): HTMLElement {
  return {
    _fullLayout: {
      xaxis: { _offset: 60, _length: 400, range: [0, 10], type: 'linear' },
      yaxis: { _offset: 20, _length: 300, range: [-1, 1], type: 'linear' },
      xaxis2: { _offset: 500, _length: 100, range: [1, 100], type: 'log' },
      ...overrides,
    },
  } as unknown as HTMLElement;
}

describe('the Plotly adapter', () => {
  it('reads _offset, _length, range and type of each axis', () => {
    expect(axisGeometry(fakePlot(), 'xaxis')).toEqual({ offset: 60, length: 400, range: [0, 10], linear: true });
    expect(axisGeometry(fakePlot(), 'yaxis')).toEqual({ offset: 20, length: 300, range: [-1, 1], linear: true });
    expect(axisGeometry(fakePlot(), 'xaxis2')!.linear).toBe(false);
    expect(axisName('x2', 'x')).toBe('xaxis2');
    expect(axisName(undefined, 'y')).toBe('yaxis');
  });

  it('says "not laid out" rather than guessing when a field is missing or renamed', () => {
    expect(axisGeometry({} as HTMLElement, 'xaxis')).toBeNull();
    expect(isLaidOut({} as HTMLElement)).toBe(false);
    expect(isLaidOut(fakePlot())).toBe(true);
    expect(axisGeometry(fakePlot({ xaxis: { offset: 60, _length: 400, range: [0, 10] } }), 'xaxis')).toBeNull();
    expect(axisGeometry(fakePlot({ xaxis: { _offset: 60, len: 400, range: [0, 10] } }), 'xaxis')).toBeNull();
    expect(axisGeometry(fakePlot({ xaxis: { _offset: 60, _length: 400, _range: [0, 10] } }), 'xaxis')).toBeNull();
    expect(pixelToData(fakePlot({ yaxis: undefined }), 100, 100)).toBeNull();
  });

  it('maps data to pixels and back, y growing downwards', () => {
    const x = axisGeometry(fakePlot(), 'xaxis')!;
    const y = axisGeometry(fakePlot(), 'yaxis')!;
    expect(toPixel(x, 5, false)).toBe(260);
    expect(toPixel(y, 1, true)).toBe(20);
    expect(toPixel(y, -1, true)).toBe(320);
    expect(toPixel(x, 5, false, [0, 5])).toBe(460);
    expect(toData(x, 260, false)).toBe(5);
    expect(pixelToData(fakePlot(), 160, 170)).toEqual({ x: 2.5, y: 0 });
  });

  it('reads range overrides from a relayouting event, both spellings', () => {
    expect(
      rangesFromEvent({ 'xaxis.range[0]': 1, 'xaxis.range[1]': 2, 'yaxis.range': [3, 4], 'xaxis.autorange': true }),
    ).toEqual({ xaxis: [1, 2], yaxis: [3, 4] });
    expect(rangesFromEvent({ 'xaxis.range[0]': 1 })).toEqual({});
  });
});
