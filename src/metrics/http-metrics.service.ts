// HTTP request metrics (by route template, method and status class) and intake rejections (by
// transport and reason). Every label comes from a closed set, so the series stay bounded
// whatever callers send.
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter } from 'prom-client';
import { MetricsService } from './metrics.service';

export const REJECTION_REASONS = ['invalid', 'too_large', 'unsupported_media_type', 'storage_refused'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const REJECTION_BY_STATUS: Record<number, RejectionReason> = { 400: 'invalid', 413: 'too_large', 415: 'unsupported_media_type', 503: 'storage_refused' };

@Injectable()
export class HttpMetrics {
  readonly requests: Counter<'route' | 'method' | 'status_class'>;
  readonly intakeRejections: Counter<'transport' | 'reason'>;

  constructor(metrics: MetricsService) {
    this.requests = new Counter({
      name: 'activity_core_http_requests_total',
      help: 'HTTP requests answered, by route template (unmatched for no route), method and status class',
      labelNames: ['route', 'method', 'status_class'],
      registers: [metrics.registry],
    });
    this.intakeRejections = new Counter({
      name: 'activity_core_intake_rejections_total',
      help: 'Events refused at intake, by transport and reason (invalid, too_large, unsupported_media_type, storage_refused)',
      labelNames: ['transport', 'reason'],
      registers: [metrics.registry],
    });
    for (const reason of REJECTION_REASONS) for (const transport of ['http', 'nats']) this.intakeRejections.inc({ transport, reason }, 0);
  }

  rejected(transport: 'http' | 'nats', reason: RejectionReason): void {
    this.intakeRejections.inc({ transport, reason });
  }

  /** Express middleware: counts each answer once it is sent. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      // req.route is the matched route's template (Nest mounts every route at its full path).
      const matched = (req.route as { path?: string } | undefined)?.path;
      // A wildcard is middleware mounted for every path, not the route that answered.
      const route = matched && !matched.includes('*') ? matched : req.originalUrl.startsWith('/docs') ? '/docs' : 'unmatched';
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      this.requests.inc({ route: String(route), method, status_class: `${Math.floor(res.statusCode / 100)}xx` });
      const path = req.originalUrl.split('?')[0];
      const reason = REJECTION_BY_STATUS[res.statusCode];
      if (req.method === 'POST' && (path === '/events' || path === '/events/') && reason) this.rejected('http', reason);
    });
    next();
  };
}
