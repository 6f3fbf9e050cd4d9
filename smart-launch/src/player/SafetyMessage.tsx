import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../lib/i18n';

// The clinic's crisis information, shown the moment a save's answer carries it (`safetyMessage`: the answers
// triggered a crisis rule, such as PHQ-9 item 9). Announced at once (role="alert"), first in the scanning
// cycle, and it stays on every screen of the form until the person closes it. The text is the clinic's, in the
// reader's language when the clinic has one (issue 15), marked with the language it is written in (`lang`): a
// Spanish screen may show the clinic's English text, and a screen reader must read it as English.

/** The clinic's text and the language it is in (one of the save's `safetyMessages`). */
export interface CrisisText {
  text: string;
  language: string;
}

interface Props {
  message: CrisisText;
  /** Keyboard and screen-reader users land on it; scanning and dwell bring their highlight to its button instead. */
  takeFocus: boolean;
  onDismiss(): void;
}

export function SafetyMessage({ message, takeFocus, onDismiss }: Props) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFocus) box.current?.focus();
  }, [message.text]);
  return (
    <div class="safety-message" role="alert" aria-labelledby="safety-message-title" tabIndex={-1} ref={box}>
      <p class="safety-title" id="safety-message-title">
        {t('If you need help now')}
      </p>
      <p class="safety-text" lang={message.language}>
        {message.text}
      </p>
      <button type="button" class="secondary" onClick={onDismiss} data-scan="0" data-dwell>
        {t('Close this message')}
      </button>
    </div>
  );
}
