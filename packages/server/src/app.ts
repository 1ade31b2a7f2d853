import express, { type Request, type Response } from 'express';
import { EngineError, DEFAULT_DATA_VERSION, type OperationName } from '@installgate/contracts';
import { implicitWebsites, negotiateVersion, translateCommand } from '@installgate/adapter-v1';
import type { Engine } from '@installgate/core';
import type { Settings } from './config/settings';
import type { Logger } from './logger';
import type { OpHandler } from './operation';
import { authenticate } from './http/authenticate';
import { parseQueryString, readBody } from './http/read-body';
import { allowedMethods, matchRoute } from './http/match-route';
import { effectiveMethod } from './http/method-override';
import { presentationFor, sendError, sendSuccess, type Presentation } from './http/present';
import { toEngineError } from './http/to-engine-error';
import { applyAliases } from './params/aliases';
import { parseParams } from './params/parse-params';
import { zWebsitesInput } from './routes/users';
import { operationTable } from './routes';
import { z } from 'zod';

export interface AppDeps {
  engine: Engine;
  settings: Settings;
  logger: Logger;
}

/** Parameters that only steer the protocol and never reach an operation. */
const PROTOCOL_PARAMS = ['api', 'key', 'api_version'] as const;

function stripProtocolParams(params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  for (const k of PROTOCOL_PARAMS) delete out[k];
  return out;
}

/** The `user` parameter: absent or empty means the caller itself (the main admin); anything but a string is refused. */
function userParam(params: Record<string, unknown>): string | undefined {
  const u = params.user;
  if (u === undefined || u === '') return undefined;
  if (typeof u !== 'string') throw new EngineError('invalid_argument_user', { errfield: 'user', message: 'user must be a single username.' });
  return u;
}

/**
 * The express app: one request pipeline for both protocols. v1 (`cmd` at `/` or the legacy path) is translated by
 * the adapter into a v2 operation call in-process; both end in the same handler table.
 */
export function createApp(deps: AppDeps): express.Express {
  const { engine, settings, logger } = deps;
  const ops: Record<OperationName, OpHandler> = operationTable();
  const keys = [settings.key, settings.key2].filter((k) => k !== '');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', (s: string) => parseQueryString(s));
  app.use(readBody);

  /** A v1 request: `cmd` (or `api`) in the parameters, at `/` or the configured legacy path. */
  function requestStyle(reqPath: string, params: Record<string, unknown>): 'cmd' | 'rest' {
    const v1Path = reqPath === '/' || (settings.legacy_path !== '' && reqPath === settings.legacy_path);
    return v1Path && ('cmd' in params || 'api' in params) ? 'cmd' : 'rest';
  }

  async function handle(req: Request, res: Response): Promise<void> {
    const started = Date.now();
    const params: Record<string, unknown> = { ...(req.query as Record<string, unknown>), ...(req.body as Record<string, unknown>) };
    const style = requestStyle(req.path, params);
    let presentation: Presentation = presentationFor(style, DEFAULT_DATA_VERSION[style]);
    let op: OperationName | undefined;
    try {
      let versionError: unknown;
      try {
        presentation = presentationFor(style, negotiateVersion({ style, header: req.headers['x-api-version'], query: params.api_version }));
      } catch (e) {
        // Reported after authentication, so an unauthenticated caller learns nothing. The caller asked for a data
        // version other than 1.0, so the answer is not a v1 envelope: a 400 in the v2 form.
        versionError = e;
        presentation = { envelope: 'v2', dataVersion: DEFAULT_DATA_VERSION[style] };
      }
      authenticate(req.headers['x-api-key'], params, style === 'cmd', keys);
      if (versionError) throw versionError;

      let path: Record<string, string>;
      let opParams: Record<string, unknown>;
      if (style === 'cmd') {
        const call = translateCommand(params);
        op = call.op;
        path = call.pathParams;
        opParams = stripProtocolParams(call.params);
        const implicit = implicitWebsites(params);
        if (implicit) {
          const websites = parseParams(z.object({ websites: zWebsitesInput }), { websites: implicit.websites }).websites;
          await engine.users.upsertImplicit({ actor: { kind: 'admin' } }, implicit.user, websites);
        }
      } else {
        const method = effectiveMethod(req.method, req.headers['x-http-method-override']);
        const route = matchRoute(method, req.path);
        op = route.op;
        path = route.params;
        opParams = stripProtocolParams(applyAliases(params));
      }
      const scope = { actor: await engine.access.resolve(userParam(opParams)) };
      const result = await ops[op]({ engine, settings, logger, path, params: opParams, scope });
      sendSuccess(res, presentation, op, result);
      logger.info('request', { method: req.method, path: req.path, op, status: res.statusCode, ms: Date.now() - started });
    } catch (e) {
      const err = toEngineError(e, logger, `${req.method} ${req.path}`);
      const headers: Record<string, string> = err.errcode === 'method_not_allowed' ? { Allow: allowedMethods(req.path).join(', ') } : {};
      sendError(res, presentation, err, headers);
      logger.info('request', { method: req.method, path: req.path, op, status: res.statusCode, errcode: err.errcode, ms: Date.now() - started });
    }
  }

  app.use((req, res) => { void handle(req, res); });
  // Errors raised before the pipeline (body too large, unreadable body) still get an envelope.
  app.use((err: unknown, req: Request, res: Response, _next: express.NextFunction) => {
    const params = (req.query ?? {}) as Record<string, unknown>;
    const style = requestStyle(req.path, params);
    sendError(res, presentationFor(style, DEFAULT_DATA_VERSION[style]), toEngineError(err, logger, `${req.method} ${req.path}`));
  });
  return app;
}
