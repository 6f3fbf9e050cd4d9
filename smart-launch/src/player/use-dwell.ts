import { useLayoutEffect } from 'preact/hooks';
import { SCAN_RESTART } from './use-scanning';

// Dwell selection for eye-gaze and head pointers: resting the pointer on a [data-dwell] target for the
// chosen time selects it. Progress shows as a filling bar (--dwell from 0 to 1). A target arms only on
// pointer movement, and whatever lies under the pointer when a screen appears arms only once the pointer has
// left it: gaze always trembles, and a new screen must never select what the person was looking at on the old one.

let lastPointer: { x: number; y: number } | null = null;
if (typeof window !== 'undefined') {
  window.addEventListener('pointermove', (e) => (lastPointer = { x: e.clientX, y: e.clientY }), { capture: true, passive: true });
}

function dwellTargetAt(point: { x: number; y: number } | null): HTMLElement | null {
  return point ? (document.elementFromPoint(point.x, point.y)?.closest<HTMLElement>('[data-dwell]') ?? null) : null;
}

export function useDwell(root: { current: HTMLElement | null }, enabled: boolean, dwellMs: number, screenKey: unknown): void {
  useLayoutEffect(() => {
    if (!enabled || !root.current) return;
    const container = root.current;
    let target: HTMLElement | null = null;
    let started = 0;
    let frame = 0;
    let fired = false;
    // Under the pointer as the screen appears: not selectable until the pointer moves off it.
    let underPointer = dwellTargetAt(lastPointer);

    const reset = () => {
      cancelAnimationFrame(frame);
      target?.style.removeProperty('--dwell');
      target?.classList.remove('dwelling');
      target = null;
      fired = false;
    };
    const tick = (now: number) => {
      if (!target) return;
      const progress = Math.min(1, (now - started) / dwellMs);
      target.style.setProperty('--dwell', progress.toFixed(3));
      if (progress >= 1 && !fired) {
        fired = true;
        const chosen = target;
        chosen.classList.remove('dwelling');
        chosen.style.removeProperty('--dwell');
        chosen.click();
        return;
      }
      frame = requestAnimationFrame(tick);
    };
    const onMove = (e: PointerEvent) => {
      const el = (e.target as Element | null)?.closest<HTMLElement>('[data-dwell]') ?? null;
      if (el !== underPointer) underPointer = null;
      const usable = el && el !== underPointer && container.contains(el) && !el.hasAttribute('disabled') ? el : null;
      if (usable === target) return;
      reset();
      if (!usable) return;
      target = usable;
      target.classList.add('dwelling');
      started = performance.now();
      frame = requestAnimationFrame(tick);
    };
    // A dialog opened or closed over the screen (the sign-out question: SCAN_RESTART, sent on both) is a new screen
    // too: after "Stay" by dwell, the gaze resting where Stay was lies on what was behind it (an answer tile), which
    // must not be chosen by the same look.
    const onRestart = () => {
      reset();
      underPointer = dwellTargetAt(lastPointer);
    };
    container.addEventListener('pointermove', onMove);
    container.addEventListener('pointerleave', reset);
    window.addEventListener(SCAN_RESTART, onRestart);
    return () => {
      container.removeEventListener('pointermove', onMove);
      container.removeEventListener('pointerleave', reset);
      window.removeEventListener(SCAN_RESTART, onRestart);
      reset();
    };
  }, [enabled, dwellMs, screenKey]);
}
