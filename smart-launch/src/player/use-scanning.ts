import { useEffect, useRef } from 'preact/hooks';

// Single-switch scanning: a highlight steps through the screen's targets ([data-scan]) at the chosen pace;
// one key selects the highlighted target. Focus moves with the highlight, so the focus ring shows it and
// a screen reader reads it. There is no time limit: the highlight keeps cycling until a choice is made.

export function scanTargets(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>('[data-scan]')].filter((el) => !el.hasAttribute('disabled') && el.offsetParent !== null);
  // data-scan="1" targets (the answers) come before "2" (navigation), then document order.
  return all.map((el, i) => ({ el, i, rank: Number(el.dataset.scan) || 1 })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.el);
}

export function useScanning(root: { current: HTMLElement | null }, enabled: boolean, paceMs: number, keyCode: string, screenKey: unknown): void {
  const index = useRef(-1);
  const current = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!enabled) return;
    index.current = -1;
    const highlight = (el: HTMLElement | null) => {
      current.current?.classList.remove('scan-highlight');
      current.current = el;
      if (!el) return;
      el.classList.add('scan-highlight');
      el.focus({ preventScroll: false });
    };
    const step = () => {
      const targets = root.current ? scanTargets(root.current) : [];
      if (!targets.length) return highlight(null);
      index.current = (index.current + 1) % targets.length;
      highlight(targets[index.current]);
    };
    step();
    const timer = window.setInterval(step, paceMs);
    const onKey = (e: KeyboardEvent) => {
      const isSwitch = keyCode === 'Space' || keyCode === 'Enter' ? e.code === 'Space' || e.code === 'Enter' || e.code === 'NumpadEnter' : e.code === keyCode;
      if (!isSwitch) return;
      // Swallow the key so the browser does not also activate the focused button (a double selection).
      e.preventDefault();
      e.stopPropagation();
      if (e.repeat) return;
      current.current?.click();
    };
    const swallowUp = (e: KeyboardEvent) => {
      if (e.code === 'Space' || e.code === keyCode) e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('keyup', swallowUp, true);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('keyup', swallowUp, true);
      highlight(null);
    };
  }, [enabled, paceMs, keyCode, screenKey]);
}
