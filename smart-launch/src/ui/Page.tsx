import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A screen: its h1 takes focus when the screen opens (after a route change a keyboard or screen-reader user
 * starts at the new content) and names the browser tab.
 */
export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ALS wellness program`;
    // The first screen after sign-in keeps the page's natural start; later screens move focus here,
    // unless the screen already put focus inside itself (the player focuses its question).
    const main = document.getElementById('main');
    if (document.body.dataset.navigated && !main?.contains(document.activeElement)) h1.current?.focus();
  }, [title]);
  return (
    <>
      <div class="page-head">
        <h1 ref={h1} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
