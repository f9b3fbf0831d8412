// The few Plotly calls the explorer makes, typed loosely: figures are built as plain data in figures.ts.
declare module 'plotly.js-basic-dist-min' {
  export type Data = Record<string, unknown>;
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;
  export interface Root extends HTMLElement {
    on?: (event: string, handler: (e: unknown) => void) => void;
  }
  export function react(root: HTMLElement, data: Data[], layout?: Layout, config?: Config): Promise<Root>;
  export function newPlot(root: HTMLElement, data: Data[], layout?: Layout, config?: Config): Promise<Root>;
  export function purge(root: HTMLElement): void;
  export const Icons: Record<string, unknown>;
  export function toImage(
    root: HTMLElement | { data: Data[]; layout: Layout },
    opts: { format: 'png' | 'svg'; width?: number; height?: number; scale?: number },
  ): Promise<string>;
  const Plotly: {
    react: typeof react;
    newPlot: typeof newPlot;
    purge: typeof purge;
    toImage: typeof toImage;
    Icons: typeof Icons;
  };
  export default Plotly;
}
