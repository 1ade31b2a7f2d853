import type { NextFunction, Request, Response } from 'express';
import * as qs from 'qs';
import { EngineError } from '@installgate/contracts';

/** Largest request body accepted (v1 JSON documents and website lists are small; archives never travel here). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** qs settings for query strings and form bodies: PHP-style arrays (`a[]=1&a[]=2`), no prototype keys. */
export const QS_OPTIONS: qs.IParseOptions = { allowPrototypes: false, depth: 5, arrayLimit: 1000, parameterLimit: 2000 };

export function parseQueryString(text: string): Record<string, unknown> {
  return qs.parse(text, QS_OPTIONS) as Record<string, unknown>;
}

function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EngineError('invalid_json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EngineError('invalid_body', { message: 'The JSON body must be an object of parameters.' });
  }
  return value as Record<string, unknown>;
}

/**
 * Parses the body into an object of parameters. JSON and form bodies are both accepted (spec §1.4); v1 also allows
 * "a JSON document sent as the raw POST body" whatever its content type, so an undeclared body that looks like JSON
 * is read as JSON and one that looks like key=value pairs as a form.
 */
export function parseBody(contentType: string | undefined, text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(text);
  if (type === 'application/x-www-form-urlencoded') return parseQueryString(text);
  if (type === '' || type === 'text/plain' || type === 'application/octet-stream') {
    return looksLikeJson(text) ? parseJson(text) : parseQueryString(text);
  }
  throw new EngineError('unsupported_media_type');
}

/** Express middleware: reads the body as text with a size limit and stores the parsed parameters in req.body. */
export function readBody(req: Request, _res: Response, next: NextFunction): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      failed = true;
      next(new EngineError('payload_too_large'));
      req.resume();
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', (err) => {
    if (failed) return;
    failed = true;
    next(new EngineError('invalid_body', { cause: err }));
  });
  req.on('end', () => {
    if (failed) return;
    try {
      req.body = parseBody(req.headers['content-type'], Buffer.concat(chunks).toString('utf8'));
      next();
    } catch (e) {
      next(e);
    }
  });
}
