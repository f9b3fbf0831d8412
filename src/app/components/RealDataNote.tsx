// A real data set's source and licence, as the vega-datasets package's metadata states them (issue 26).
import { REAL_DATASETS, VEGA_DATASETS, type RealDatasetId } from '../../core/realData';

export function RealDataNote({ id, n }: { id: RealDatasetId; n: number }) {
  const d = REAL_DATASETS[id];
  return (
    <section className="card" data-testid="real-data-note">
      <h2>Real data</h2>
      <p className="note">
        <strong>{d.label}</strong> ({n} points; x: {d.xLabel}, y: {d.yLabel}). {d.note}
      </p>
      <p className="note">
        Source: {d.source}. Licence: {d.licence}. From {VEGA_DATASETS.name} {VEGA_DATASETS.version} ({d.file}). No truth
        is known: RMSE and σ error are blank, and only held-out points judge the bands.
      </p>
    </section>
  );
}
