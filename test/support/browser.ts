/**
 * A tiny browser for protocol tests: a cookie jar per origin and manual redirects, so a test can watch each
 * hop of a SMART launch (and tamper with one) over real HTTP.
 */
export interface Hop {
  url: string;
  status: number;
  location?: string;
  body: string;
}

export class TestBrowser {
  private jar = new Map<string, Map<string, string>>();

  cookieHeader(url: string): string {
    const cookies = this.jar.get(new URL(url).host) ?? new Map();
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  dropCookie(url: string, name: string): void {
    this.jar.get(new URL(url).host)?.delete(name);
  }

  private store(url: string, res: Response): void {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || !value) cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(host, cookies);
  }

  /** One request, no redirect following. */
  async request(url: string, init: RequestInit = {}): Promise<Hop> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('Cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, res);
    const location = res.headers.get('location') ?? undefined;
    return { url, status: res.status, location: location ? new URL(location, url).href : undefined, body: await res.text() };
  }

  /** Follows redirects, returning every hop; stops at the first non-redirect or when `until` matches a URL. */
  async navigate(url: string, until?: (next: string) => boolean, max = 10): Promise<Hop[]> {
    const hops: Hop[] = [];
    let next: string | undefined = url;
    while (next && hops.length < max) {
      const hop = await this.request(next);
      hops.push(hop);
      next = hop.status >= 300 && hop.status < 400 ? hop.location : undefined;
      if (next && until?.(next)) break;
    }
    return hops;
  }
}
