import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The security headers of every answer, in one place (helmet): the console's strict Content
 * Security Policy (also harmless on JSON answers), no framing, no referrer, nosniff, HSTS (honoured
 * by browsers only over HTTPS), same-origin opener and resource policies. A page with its own
 * stricter policy (the API docs page) sets `Content-Security-Policy` after this and wins.
 */
export const CONSOLE_CSP_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  // No eval: the task forms' validators are compiled at build time (web/task-validators.ts).
  'script-src': ["'self'"],
  // Bootstrap Italia and the form renderer set inline style attributes.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // Express' own header is disabled in app.ts as well; helmet removes it for other routers.
    xPoweredBy: false,
  });
}
