// The Post-hoc card (issue 26): turns the calibration share on, and sets its size, seed, level, score, the
// recalibration and the clean/contaminated switch (all in TrainSettings.posthoc: links, files and undo carry them);
// which panels draw their conformal band is a view choice of this page.
import type { ModelSpec } from '../../core/config';
import { CONFORMAL_SCORES } from '../../core/conformal';
import { DEFAULT_POSTHOC, type PosthocSettings } from '../../core/posthoc';
import { RECALIBRATIONS } from '../../core/recalibrated';
import { seedFromField } from '../params';
import { POSTHOC_SLIDERS, RECALIBRATION_LABEL, SCORE_LABEL } from '../posthocParams';
import { Slider } from '../Slider';

interface Props {
  posthoc: PosthocSettings | undefined;
  models: readonly ModelSpec[];
  onChange: (next: PosthocSettings | undefined, control: string) => void;
  /** Models whose conformal band is hidden in their panel. */
  hidden: ReadonlySet<string>;
  onHidden: (next: Set<string>) => void;
}

export function PosthocCard({ posthoc, models, onChange, hidden, onHidden }: Props) {
  const p = posthoc;
  const set = (patch: Partial<PosthocSettings>, control: string) => p && onChange({ ...p, ...patch }, control);
  const allShown = models.every((m) => !hidden.has(m.id));
  return (
    <section className="card" data-testid="posthoc-card">
      <h2>Post-hoc</h2>
      <label
        className="inline"
        title="Hold a calibration share back from training; every model gets a split-conformal band and a recalibration fitted on it."
      >
        <input
          type="checkbox"
          data-testid="posthoc-on"
          checked={Boolean(p)}
          onChange={(e) => onChange(e.target.checked ? DEFAULT_POSTHOC : undefined, 'posthoc')}
        />{' '}
        conformal and recalibration
      </label>
      {p && (
        <>
          <Slider
            def={POSTHOC_SLIDERS.share}
            value={p.share}
            onChange={(v) => set({ share: Math.round(v * 100) / 100 }, 'posthoc.share')}
            testId="posthoc-share"
          />
          <label className="inline">
            seed{' '}
            <input
              type="number"
              value={p.seed}
              style={{ width: 56 }}
              onChange={(e) => {
                const seed = seedFromField(e.target.value);
                if (seed !== null) set({ seed }, 'posthoc.seed');
              }}
            />
          </label>
          <Slider
            def={POSTHOC_SLIDERS.level}
            value={p.level}
            onChange={(v) => set({ level: Math.round(v * 100) / 100 }, 'posthoc.level')}
            testId="posthoc-level"
          />
          <label className="inline">
            score{' '}
            <select
              data-testid="posthoc-score"
              value={p.score}
              onChange={(e) => set({ score: e.target.value as PosthocSettings['score'] }, 'posthoc.score')}
            >
              {CONFORMAL_SCORES.map((s) => (
                <option key={s} value={s}>
                  {SCORE_LABEL[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            recalibration{' '}
            <select
              data-testid="posthoc-recalibration"
              value={p.recalibration}
              onChange={(e) =>
                set({ recalibration: e.target.value as PosthocSettings['recalibration'] }, 'posthoc.recalibration')
              }
            >
              {RECALIBRATIONS.map((r) => (
                <option key={r} value={r}>
                  {RECALIBRATION_LABEL[r]}
                </option>
              ))}
            </select>
          </label>
          <label
            className="inline"
            title="The oracle drops the calibration share's injected outliers; contaminated keeps them, as the training data have them."
          >
            calibration share{' '}
            <select
              data-testid="posthoc-calibration"
              value={p.calibration}
              onChange={(e) =>
                set({ calibration: e.target.value as PosthocSettings['calibration'] }, 'posthoc.calibration')
              }
            >
              <option value="contaminated">contaminated, as the training data</option>
              <option value="clean">clean (oracle: outliers dropped)</option>
            </select>
          </label>
          <fieldset className="inline">
            <legend>conformal band in panels</legend>
            <label>
              <input
                type="checkbox"
                checked={allShown}
                onChange={(e) => onHidden(e.target.checked ? new Set() : new Set(models.map((m) => m.id)))}
              />{' '}
              all
            </label>{' '}
            {models.map((m, k) => (
              <label key={m.id}>
                <input
                  type="checkbox"
                  data-testid={`conformal-band-${m.id}`}
                  checked={!hidden.has(m.id)}
                  onChange={(e) => {
                    const next = new Set(hidden);
                    if (e.target.checked) next.delete(m.id);
                    else next.add(m.id);
                    onHidden(next);
                  }}
                />{' '}
                {k + 1}
              </label>
            ))}
          </fieldset>
        </>
      )}
    </section>
  );
}
