/**
 * A small browser for the end-to-end tests: follows redirects by hand and keeps cookies, so a test can log into
 * a real WordPress the way a person does (wp-login.php form, then the dashboard).
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq < 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '' || value === 'deleted') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }
}

export interface Page {
  status: number;
  url: string;
  body: string;
}

/** Fetches a URL with the jar's cookies, following up to 10 redirects (POST becomes GET after a 302/303). */
export async function browse(url: string, jar: CookieJar, init: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {}): Promise<Page> {
  let current = url;
  let method = init.method ?? 'GET';
  let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(current, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    jar.store(res.headers);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      current = new URL(location, current).toString();
      if (res.status !== 307 && res.status !== 308) { method = 'GET'; body = undefined; }
      continue;
    }
    return { status: res.status, url: current, body: await res.text() };
  }
  throw new Error(`too many redirects from ${url}`);
}

/** Logs into WordPress through its login form; returns the dashboard page (or whatever the form answered). */
export async function wordpressLogin(siteUrl: string, login: string, password: string, jar = new CookieJar()): Promise<Page> {
  await browse(`${siteUrl}/wp-login.php`, jar); // sets wordpress_test_cookie
  return browse(`${siteUrl}/wp-login.php`, jar, {
    method: 'POST',
    form: { log: login, pwd: password, 'wp-submit': 'Log In', redirect_to: `${siteUrl}/wp-admin/`, testcookie: '1' },
  });
}

/** True when the page is the WordPress dashboard of a logged-in user. */
export function isDashboard(p: Page): boolean {
  return p.status === 200 && /wp-admin\/?(index\.php)?$/.test(new URL(p.url).pathname) && /id="wpadminbar"|<title>Dashboard/i.test(p.body);
}
