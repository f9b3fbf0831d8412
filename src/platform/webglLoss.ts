// A lost WebGL context as a device loss. tfjs-backend-webgl checks GL errors only in debug mode, and on
// `webglcontextlost` merely forgets its context: training then reads zeros without an error, or stops with an error
// that says nothing of the device. So the loss is watched here, on tfjs's own canvas, and latched: a context that is
// later restored has still lost every texture tfjs had on it.
import { tf } from '../core/tf';

type GL = WebGLRenderingContext | WebGL2RenderingContext;

/** Contexts seen lost (the event, or isContextLost at a check). */
const lost = new WeakSet<GL>();

/** The GL context of the active tfjs-backend-webgl, or null on any other backend. */
export function webglContext(): GL | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as unknown as { gpgpu?: { gl?: GL } }).gpgpu?.gl ?? null;
}

const REASON = 'the WebGL context was lost';

/** Why the active WebGL context cannot be trusted, or null (not WebGL, or the context is fine). */
export function webglGone(): string | null {
  const gl = webglContext();
  if (!gl) return null;
  if (gl.isContextLost()) lost.add(gl);
  return lost.has(gl) ? REASON : null;
}

/** Resolves with the reason when the active WebGL context is lost; null where tfjs is not on WebGL. */
export function webglLost(): Promise<string> | null {
  const gl = webglContext();
  if (!gl) return null;
  return new Promise((resolve) => {
    if (webglGone()) return resolve(REASON);
    gl.canvas.addEventListener(
      'webglcontextlost',
      () => {
        lost.add(gl);
        resolve(REASON);
      },
      { once: true },
    );
  });
}

/** For tests: loses the active WebGL context as a driver reset would (WEBGL_lose_context); false where there is none. */
export function loseWebgl(): boolean {
  const ext = webglContext()?.getExtension('WEBGL_lose_context');
  if (!ext) return false;
  ext.loseContext();
  return true;
}
