/** One `<response>` of a WebDAV 207 Multi-Status body (RFC 4918 §14.16). */
export interface DavEntry {
  /** Decoded URL path of the resource (no scheme or host), without a trailing '/'. */
  path: string;
  isCollection: boolean;
  /** `getcontentlength`, 0 when absent. */
  size: number;
  /** `getlastmodified`, the epoch when absent or unparseable. */
  mtime: Date;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1].toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Elements named `local` in any namespace prefix (`D:href`, `d:href`, `lp1:href`, `href`). */
const element = (local: string): RegExp =>
  new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${local}\\s*>`, 'gi');
const emptyOrFull = (local: string): RegExp => new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${local}\\b[^>]*?(?:/>|>)`, 'i');

function firstText(block: string, local: string): string | undefined {
  const m = element(local).exec(block);
  return m ? decodeXmlText(m[1].trim()) : undefined;
}

/** The decoded path of an href, which may be a path or a full URL. Segments are percent-decoded. */
export function hrefPath(href: string): string {
  let path = href;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(href);
  if (abs) path = abs[1] ?? '/';
  const decoded = path
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join('/');
  return decoded.length > 1 ? decoded.replace(/\/+$/, '') : decoded;
}

/**
 * Parses a Multi-Status body into entries. Tolerant by design (servers differ in prefixes and in which
 * properties they return in 404 propstats): it reads the first non-empty `href`, `getcontentlength` and
 * `getlastmodified` of each response, and whether its `resourcetype` holds a `collection`.
 */
export function parseMultistatus(xml: string): DavEntry[] {
  const entries: DavEntry[] = [];
  for (const m of xml.matchAll(element('response'))) {
    const block = m[1];
    const href = firstText(block, 'href');
    if (!href) continue;
    const resourcetype = element('resourcetype').exec(block)?.[1] ?? '';
    const length = Number(firstText(block, 'getcontentlength') ?? '0');
    const modified = Date.parse(firstText(block, 'getlastmodified') ?? '');
    entries.push({
      path: hrefPath(href),
      isCollection: emptyOrFull('collection').test(resourcetype),
      size: Number.isFinite(length) ? length : 0,
      mtime: new Date(Number.isFinite(modified) ? modified : 0),
    });
  }
  return entries;
}
