import { useEffect, useState } from 'react';
import { statusWords } from '../../core/statusMessages';
import type { TrainerStatus } from '../../worker/protocol';

/**
 * What the trainer is doing, in words, from the page's first second: until the first step it counts the
 * seconds (a GPU's kernels can take a minute to compile where the GPU is emulated), so the learner sees work.
 */
function StatusWords({
  status,
  trained,
  stepsPerSecond,
}: {
  status: TrainerStatus;
  trained: boolean;
  stepsPerSecond: number;
}) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (trained || status.phase === 'error') return;
    const timer = window.setInterval(() => setNow(performance.now()), 1000);
    return () => window.clearInterval(timer);
  }, [trained, status.phase]);
  const busy = !trained && status.phase !== 'paused' && status.phase !== 'error';
  return (
    <span className={`status-words${busy ? ' busy' : ''}`} data-testid="status-words">
      {statusWords(status, trained, stepsPerSecond, now / 1000)}
    </span>
  );
}

/** The backend, step count, speed, training path and phase; the worker's messages and the page's info line. */
export function StatusBar({
  status,
  step,
  stepsPerSecond,
  info,
  trained,
}: {
  status: TrainerStatus;
  step: number;
  stepsPerSecond: number;
  info: string | null;
  trained: boolean;
}) {
  return (
    <div className="status" role="status">
      <StatusWords status={status} trained={trained} stepsPerSecond={stepsPerSecond} />
      <span>
        backend <b data-testid="backend">{status.backend ?? '…'}</b>
      </span>
      <span>
        step <b data-testid="steps">{step}</b>
      </span>
      <span>
        <b data-testid="steps-per-second">{stepsPerSecond.toFixed(0)}</b> steps/s
      </span>
      <span
        data-testid="path"
        data-path={status.path}
        title="fused WGSL kernel: every model in one GPU dispatch; fused CPU: every model in WebAssembly SIMD on worker threads; otherwise the batched TensorFlow.js graph"
      >
        {status.pathLabel ?? status.path}
      </span>
      <span data-testid="phase">{status.phase}</span>
      {status.notice && (
        <span className="status-notice" data-testid="status-notice">
          {status.notice}
        </span>
      )}
      {status.message && (
        <span className={`status-message status-${status.phase}`} data-testid="status-message">
          {status.message}
        </span>
      )}
      {info && <span className="status-info">{info}</span>}
    </div>
  );
}

/** A choice offered with an alert (a file with more models than the page trains: open its first 8). */
export interface AlertAction {
  label: string;
  run: () => void;
}

/** A message the user should read (a refused file or link), until dismissed; an offered action, if any. */
export function Alert({
  text,
  action,
  onDismiss,
}: {
  text: string | null;
  action?: AlertAction;
  onDismiss: () => void;
}) {
  if (!text) return null;
  return (
    <div className="alert" role="alert" data-testid="alert">
      {text}{' '}
      {action && (
        <button
          data-testid="alert-action"
          onClick={() => {
            onDismiss();
            action.run();
          }}
        >
          {action.label}
        </button>
      )}{' '}
      <button onClick={onDismiss}>dismiss</button>
    </div>
  );
}
