import type { NextFunction, Request, Response } from 'express';

// Browsers ask every origin for /favicon.ico on each page that declares no icon (the sandbox EHR's pages, the HTML
// outcome report, a refused sign-in's page): a 404 in every log and console otherwise. One small SVG, cached a day.
// (The app's own page declares none: `<link rel="icon" href="data:,">`.)
const ICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#0b3d5c"/><circle cx="8" cy="8" r="3" fill="#fff"/></svg>',
);

export function favicon() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path !== '/favicon.ico' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(ICON);
  };
}
