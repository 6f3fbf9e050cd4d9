import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';

const JSON_TYPES = ['application/json', 'application/fhir+json'];
const FORM = 'application/x-www-form-urlencoded';

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Refuses (415) a request body that is neither JSON nor, on the few OAuth-style endpoints that need it,
 * a form. Runs before the body parsers so a refused body is never parsed.
 */
export function requireKnownContentType(formPaths: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const path = req.path;
    if (JSON_TYPES.includes(type) || (type === FORM && formPaths.includes(path))) return next();
    next(new DomainError('COMMON.UNSUPPORTED_MEDIA_TYPE', `Content type '${type || 'none'}' is not accepted here; send application/json.`));
  };
}
