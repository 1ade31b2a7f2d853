/**
 * Test support (not part of the driver API): a minimal browser over fetch — a cookie jar (names only, no path or
 * domain rules: one site per jar) and redirects followed by hand so that every hop's cookies are kept.
 */
export interface Page {
  status: number;
  url: string;
  body: string;
  /** Cookies set by the hops that led here. */
  setCookies: string[];
}

export class TestBrowser {
  readonly cookies = new Map<string, string>();

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): string[] {
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      if (expired || value === 'deleted') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return set;
  }

  /** GET (or POST a form) and follow up to 10 redirects. */
  async go(url: string, form?: Record<string, string>): Promise<Page> {
    let current = url;
    let init: RequestInit = form ? { method: 'POST', body: new URLSearchParams(form) } : { method: 'GET' };
    const setCookies: string[] = [];
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(current, { ...init, redirect: 'manual', headers: { cookie: this.header() } });
      setCookies.push(...this.keep(res));
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        current = new URL(location, current).href;
        init = { method: 'GET' };
        continue;
      }
      return { status: res.status, url: current, body: await res.text(), setCookies };
    }
    throw new Error(`TestBrowser: too many redirects from ${url}`);
  }

  /** Logs into WordPress through wp-login.php as a person would; returns the page it lands on. */
  async wpLogin(site: string, log: string, pwd: string): Promise<Page> {
    await this.go(`${site}/wp-login.php`); // sets wordpress_test_cookie, which the POST must carry
    return this.go(`${site}/wp-login.php`, { log, pwd, 'wp-submit': 'Log In', redirect_to: `${site}/wp-admin/`, testcookie: '1' });
  }

  loggedIn(): boolean {
    return [...this.cookies.keys()].some((k) => k.startsWith('wordpress_logged_in_'));
  }
}

/** Whether a page is the WordPress dashboard of a logged-in administrator. */
export function isDashboard(page: Page): boolean {
  return page.status === 200 && /\/wp-admin\/?$/.test(new URL(page.url).pathname) && page.body.includes('id="wpadminbar"') && page.body.includes('Dashboard');
}
