/**
 * A template's image (screenshot) and icon (spec §2.2): PNG files of fixed sizes, given as base64 data (optionally a
 * `data:image/png;base64,` URI) or as the path of a file inside one of the owner's websites [R] (spec §9 #41). They
 * are checked (PNG signature, IHDR dimensions, byte limit) and kept beside the template's archive.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidArgument, type User } from '@installgate/contracts';

export type TemplateImageKind = 'image' | 'icon';

/** The spec's limits: image PNG 1024x640 or 2048x1280 under 1 MB; icon PNG 512x512 under 300 KB. */
export const TEMPLATE_IMAGE_RULES = {
  image: { sizes: [[1024, 640], [2048, 1280]], maxBytes: 1024 * 1024 },
  icon: { sizes: [[512, 512]], maxBytes: 300 * 1024 },
} as const satisfies Record<TemplateImageKind, { sizes: readonly (readonly [number, number])[]; maxBytes: number }>;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;
const DATA_URI = /^data:image\/png;base64,/i;
const PNG_BASE64_START = PNG_SIGNATURE.toString('base64').slice(0, 8);

/** Width and height from the IHDR chunk, which a valid PNG has first, right after the signature. */
function pngSize(buf: Buffer): [number, number] | null {
  if (buf.length < 24 || !buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

/** Throws invalid_argument_<kind> unless `buf` is a PNG of an allowed size and under the byte limit. */
export function checkTemplateImage(kind: TemplateImageKind, buf: Buffer): void {
  const rule = TEMPLATE_IMAGE_RULES[kind];
  const sizes = rule.sizes.map(([w, h]) => `${w}x${h}`).join(' or ');
  if (buf.length >= rule.maxBytes) throw invalidArgument(kind, `The ${kind} must be smaller than ${Math.round(rule.maxBytes / 1024)} KB.`);
  const size = pngSize(buf);
  if (!size) throw invalidArgument(kind, `The ${kind} must be a PNG file (base64 data or a path in your website).`);
  if (!rule.sizes.some(([w, h]) => w === size[0] && h === size[1])) throw invalidArgument(kind, `The ${kind} must be ${sizes} pixels; it is ${size[0]}x${size[1]}.`);
}

/** Local folders of the owner's websites: the only places a path may point into. */
function websiteRoots(owner: User): string[] {
  return owner.websites.map((w) => w.path).filter((p) => p && !p.includes('://') && path.isAbsolute(p));
}

async function readFromPath(kind: TemplateImageKind, value: string, owner: User): Promise<Buffer> {
  const real = await fs.promises.realpath(value).catch(() => null);
  const roots = await Promise.all(websiteRoots(owner).map((r) => fs.promises.realpath(r).catch(() => null)));
  const inside = real !== null && roots.some((r) => r !== null && (real === r || real.startsWith(`${r}/`)));
  if (!inside) throw invalidArgument(kind, `The ${kind} path must name a PNG file inside one of ${owner.id}'s websites.`);
  const st = await fs.promises.stat(real);
  if (!st.isFile()) throw invalidArgument(kind, `The ${kind} path is not a file.`);
  if (st.size >= TEMPLATE_IMAGE_RULES[kind].maxBytes) checkTemplateImage(kind, Buffer.alloc(st.size)); // names the limit
  return fs.promises.readFile(real);
}

/** Reads and checks an image parameter. Throws invalid_argument_<kind> for anything but a fitting PNG. */
export async function readTemplateImage(kind: TemplateImageKind, value: string, owner: User): Promise<Buffer> {
  const text = value.trim();
  const data = text.replace(DATA_URI, '');
  let buf: Buffer;
  // Base64 of any PNG starts with the encoded signature; anything else absolute is a path.
  if (data.startsWith(PNG_BASE64_START)) {
    if (!BASE64.test(data)) throw invalidArgument(kind, `The ${kind} is not valid base64 data.`);
    buf = Buffer.from(data.replace(/\s+/g, ''), 'base64');
  } else if (path.isAbsolute(text)) buf = await readFromPath(kind, text, owner);
  else throw invalidArgument(kind, `The ${kind} must be base64 PNG data or the path of a PNG file in your website (URLs are not fetched).`);
  checkTemplateImage(kind, buf);
  return buf;
}

/** The file name a template's image or icon is kept under in the templates folder. */
export function templateImageName(templateId: string, kind: TemplateImageKind): string {
  return `${templateId}-${kind}.png`;
}

/** Writes the image under a temporary name, then renames it, so a reader never sees half a file. Returns its name. */
export async function storeTemplateImage(dir: string, templateId: string, kind: TemplateImageKind, buf: Buffer): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const name = templateImageName(templateId, kind);
  const tmp = path.join(dir, `.${name}.${randomBytes(4).toString('hex')}.part`);
  await fs.promises.writeFile(tmp, buf, { mode: 0o600 });
  await fs.promises.rename(tmp, path.join(dir, name));
  return name;
}
