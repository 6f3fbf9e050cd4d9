import { ApiError, outcome } from './api';
import { isOutcome } from './outcome';

/**
 * Fetches a file the service makes (an export) and hands it to the browser as a download. A refusal (an
 * OperationOutcome, e.g. a participant-level CSV over too few people) is thrown as an ApiError instead, so the
 * screen shows the reason and no error page is saved as the file.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, outcome('The service is not answering. Check the connection and try again.'));
  }
  if (!res.ok) {
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    throw new ApiError(res.status, isOutcome(body) ? body : outcome(`The service answered ${res.status}.`));
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it started; the object URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
