import type { ComponentChildren } from 'preact';

// One choice among several, as large tiles: the player's answers, "who is answering" and the display and input
// settings. A radio group for screen readers (role=radiogroup, role=radio, aria-checked), but every tile is its own
// Tab stop (tabindex=0) and is chosen with Space or Enter. This departs on purpose from the usual one-Tab-stop radio
// group: people who use two switches ("step scanning": one switch sends Tab, the other Space or Enter) and people
// who can press only Tab and Space have no arrow keys, and with one Tab stop could only ever choose the first answer
// (or the one already chosen). Arrow keys, Home and End still move between the tiles, and only move: an answer
// changes only by a deliberate choice (Space, Enter, a click, the scanning switch or dwell), never because focus
// passed over a tile, so an arrow key on an answered question never changes the saved answer.

export interface Tile<V> {
  value: V;
  label: ComponentChildren;
  /** The tile's own key (defaults to String(value)). */
  key?: string;
}

interface Props<V> {
  options: Tile<V>[];
  /** The chosen value, if any. */
  value: V | undefined;
  same?(a: V, b: V): boolean;
  onPick(value: V): void;
  labelledBy: string;
  describedBy?: string;
  invalid?: boolean;
  required?: boolean;
  /** The group's class (`options`, `options scale`, `segmented`) and each tile's (`option`). */
  groupClass: string;
  tileClass?: string;
  /** The tiles' rank in the switch-scanning cycle (use-scanning.ts); none: not scanned. */
  scan?: string;
  /** Whether dwell (eye gaze) may choose a tile; default yes. */
  dwell?: boolean;
}

const MOVES: Record<string, (i: number, n: number) => number> = {
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_, n) => n - 1,
};

export function ChoiceTiles<V>(p: Props<V>) {
  const same = p.same ?? ((a: V, b: V) => a === b);
  const onKeyDown = (e: KeyboardEvent, i: number, value: V) => {
    if (e.key === ' ' || e.key === 'Enter') {
      // Space would also scroll the page; Enter would reach nothing else.
      e.preventDefault();
      if (!e.repeat) p.onPick(value);
      return;
    }
    const move = MOVES[e.key];
    if (!move || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const tiles = (e.currentTarget as HTMLElement).parentElement?.querySelectorAll<HTMLElement>(':scope > [role="radio"]');
    tiles?.[move(i, tiles.length)]?.focus();
  };
  return (
    <div
      role="radiogroup"
      class={p.groupClass}
      aria-labelledby={p.labelledBy}
      aria-describedby={p.describedBy}
      aria-invalid={p.invalid || undefined}
      aria-required={p.required || undefined}
    >
      {p.options.map((o, i) => {
        const checked = p.value !== undefined && same(p.value, o.value);
        return (
          <div
            key={o.key ?? String(o.value)}
            role="radio"
            aria-checked={checked}
            // Every tile a Tab stop, on purpose (see above).
            tabIndex={0}
            class={`${p.tileClass ?? 'option'}${checked ? ' checked' : ''}`}
            onClick={() => p.onPick(o.value)}
            onKeyDown={(e) => onKeyDown(e, i, o.value)}
            data-scan={p.scan}
            data-dwell={p.dwell === false ? undefined : true}
          >
            <span class="option-mark" aria-hidden="true" />
            <span class="option-label">{o.label}</span>
          </div>
        );
      })}
    </div>
  );
}
