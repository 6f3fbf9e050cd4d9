import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import { LangCtx, translate } from '../lib/i18n';

/**
 * A screen: its h1 takes focus when the screen opens (after a route change a keyboard or screen-reader user
 * starts at the new content) and names the browser tab, in the screen's language. `titleLang`: the title's own
 * language when it is not the screen's (a form's title, shown as the form is published).
 */
export function Page({ title, titleLang, children, actions }: { title: string; titleLang?: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  const lang = useContext(LangCtx);
  useEffect(() => {
    document.title = `${title} · ${translate(lang, 'ALS wellness program')}`;
    // The first screen after sign-in keeps the page's natural start; later screens move focus here,
    // unless the screen already put focus inside itself (the player focuses its question).
    const main = document.getElementById('main');
    if (document.body.dataset.navigated && !main?.contains(document.activeElement)) h1.current?.focus();
  }, [title, lang]);
  return (
    <>
      <div class="page-head">
        <h1 ref={h1} tabIndex={-1} lang={titleLang}>
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
