import { useEffect } from 'preact/hooks';

// Dwell selection for eye-gaze and head pointers: resting the pointer on a [data-dwell] target for the
// chosen time selects it. Progress shows as a filling bar (--dwell from 0 to 1). A target arms only on
// pointer movement, so a new screen never selects whatever happens to lie under a still pointer.

export function useDwell(root: { current: HTMLElement | null }, enabled: boolean, dwellMs: number, screenKey: unknown): void {
  useEffect(() => {
    if (!enabled || !root.current) return;
    const container = root.current;
    let target: HTMLElement | null = null;
    let started = 0;
    let frame = 0;
    let fired = false;

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
      const usable = el && container.contains(el) && !el.hasAttribute('disabled') ? el : null;
      if (usable === target) return;
      reset();
      if (!usable) return;
      target = usable;
      target.classList.add('dwelling');
      started = performance.now();
      frame = requestAnimationFrame(tick);
    };
    container.addEventListener('pointermove', onMove);
    container.addEventListener('pointerleave', reset);
    return () => {
      container.removeEventListener('pointermove', onMove);
      container.removeEventListener('pointerleave', reset);
      reset();
    };
  }, [enabled, dwellMs, screenKey]);
}
