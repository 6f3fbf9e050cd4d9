import { useLayoutEffect, useRef } from 'preact/hooks';

// Single-switch scanning: a highlight steps through the screen's targets ([data-scan]) at the chosen pace;
// one key selects the highlighted target. Focus moves with the highlight, so the focus ring shows it and
// a screen reader reads it. There is no time limit: the highlight keeps cycling until a choice is made.

/** A target's place in the cycle: lower `data-scan` ranks first (0 for what must be seen first), then document order. */
function rankOf(el: HTMLElement): number {
  const raw = el.dataset.scan ?? '';
  const n = Number(raw);
  return raw !== '' && Number.isFinite(n) ? n : 1;
}

/**
 * Sent (on window) when a modal dialog opens or closes: scanning starts again at its first target (or the screen's),
 * or at the event's `detail` (a CustomEvent's) when that is a target: the button that opened the dialog just closed.
 */
export const SCAN_RESTART = 'als-scan-restart';

/** An open modal dialog (the sign-out confirmation): while it is open, only its targets are scanned, wherever it is. */
function openModal(): HTMLElement | null {
  return document.querySelector<HTMLElement>('dialog[open]:modal');
}

/**
 * While "Use another key" waits for a key (SettingsPanel), the next key press names the new switch: the scanner
 * neither selects with it nor swallows it, whatever the highlight (and with it the focus) rests on.
 */
let choosingKey = false;
export function setChoosingKey(on: boolean): void {
  choosingKey = on;
}

export function scanTargets(root: HTMLElement): HTMLElement[] {
  const all = [...(openModal() ?? root).querySelectorAll<HTMLElement>('[data-scan]')].filter((el) => !el.hasAttribute('disabled') && el.offsetParent !== null);
  return all.map((el, i) => ({ el, i, rank: rankOf(el) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.el);
}

/**
 * Runs while `enabled`; starts again at the first target whenever `screenKey` changes. A layout effect, so the
 * highlight moves to the new screen in the same commit that shows it: a quick second press never reaches a
 * target of the screen before, nor one the person has not seen highlighted.
 */
export function useScanning(root: { current: HTMLElement | null }, enabled: boolean, paceMs: number, keyCode: string, screenKey: unknown): void {
  const index = useRef(-1);
  const current = useRef<HTMLElement | null>(null);

  useLayoutEffect(() => {
    if (!enabled) return;
    index.current = -1;
    // Preact owns the class attribute of what it renders and rewrites it whenever a component's class changes (a
    // tile that becomes chosen): the highlight is put back at once (before paint), so it never leaves the target
    // the person has just chosen. Only when missing: adding a class already there still records a mutation (a loop).
    const keep = new MutationObserver(() => {
      const el = current.current;
      if (el && !el.classList.contains('scan-highlight')) el.classList.add('scan-highlight');
    });
    const highlight = (el: HTMLElement | null) => {
      keep.disconnect();
      current.current?.classList.remove('scan-highlight');
      current.current = el;
      if (!el) return;
      el.classList.add('scan-highlight');
      keep.observe(el, { attributes: true, attributeFilter: ['class'] });
      el.focus({ preventScroll: false });
    };
    const step = () => {
      const targets = root.current ? scanTargets(root.current) : [];
      if (!targets.length) return highlight(null);
      index.current = (index.current + 1) % targets.length;
      highlight(targets[index.current]);
    };
    step();
    let timer = window.setInterval(step, paceMs);
    // A dialog opened or closed: the highlight goes to its first target (or back to the screen's, or to the one named)
    // in the same turn.
    const restart = (e: Event) => {
      window.clearInterval(timer);
      const at = e instanceof CustomEvent && e.detail instanceof HTMLElement && root.current ? scanTargets(root.current).indexOf(e.detail) : -1;
      index.current = Math.max(at, 0) - 1;
      step();
      timer = window.setInterval(step, paceMs);
    };
    window.addEventListener(SCAN_RESTART, restart);
    const onKey = (e: KeyboardEvent) => {
      const isSwitch = keyCode === 'Space' || keyCode === 'Enter' ? e.code === 'Space' || e.code === 'Enter' || e.code === 'NumpadEnter' : e.code === keyCode;
      if (!isSwitch || choosingKey) return;
      // Swallow the key so the browser does not also activate the focused button (a double selection).
      e.preventDefault();
      e.stopPropagation();
      if (e.repeat) return;
      const target = current.current;
      // A target that left the page (its screen was replaced) is never selected.
      if (target?.isConnected && !target.hasAttribute('disabled')) target.click();
    };
    const swallowUp = (e: KeyboardEvent) => {
      if (e.code === 'Space' || e.code === keyCode) e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('keyup', swallowUp, true);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(SCAN_RESTART, restart);
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('keyup', swallowUp, true);
      highlight(null);
    };
  }, [enabled, paceMs, keyCode, screenKey]);
}
