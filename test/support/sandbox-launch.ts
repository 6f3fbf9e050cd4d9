import { TestBrowser } from './browser.js';

/** A person signed in through the sandbox's real EHR launch: their browser (session cookie) and CSRF token. */
export interface Launched {
  browser: TestBrowser;
  /** `Cookie` header value with the session cookie. */
  cookie: string;
  csrf: string;
  role: string;
}

/**
 * An EHR launch from the sandbox as `user` (optionally with `patient`, and with it an `encounter`, in context), over real HTTP, up to the app:
 * `/sandbox/launch` → our `/smart/launch` → the sandbox's authorize (approved at once) → our callback. Then reads
 * `/api/context` for the role and the CSRF token. No jest inside: the benchmark signs in this way too.
 */
export async function sandboxLaunch(baseUrl: string, user: string, patient?: string, encounter?: string): Promise<Launched> {
  const browser = new TestBrowser();
  const query = new URLSearchParams({ user, ...(patient ? { patient } : {}), ...(encounter ? { encounter } : {}) });
  await browser.navigate(`${baseUrl}/sandbox/launch?${query}`, (u) => u.startsWith(`${baseUrl}/app/`));
  if (!browser.cookie(baseUrl, 'als_session')) throw new Error(`the sandbox launch as ${user} opened no session`);
  const ctx = await browser.request(`${baseUrl}/api/context`);
  if (ctx.status !== 200) throw new Error(`GET /api/context answered ${ctx.status} after the launch as ${user}`);
  const body = JSON.parse(ctx.body) as { csrfToken: string; user: { role: string } };
  return { browser, cookie: browser.cookieHeader(baseUrl), csrf: body.csrfToken, role: body.user.role };
}
