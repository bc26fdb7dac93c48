// Definition files refused at load (each load counts its refused files once).
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import type { DefinitionLoadError } from './definition.types';

@Injectable()
export class DefinitionsMetrics {
  readonly refused: Counter;

  constructor(metrics: MetricsService) {
    this.refused = new Counter({
      name: 'activity_core_definitions_refused_total',
      help: 'Definition files refused at load (parse, unknown variable, template that does not compile)',
      registers: [metrics.registry],
    });
  }

  countRefused(errors: readonly DefinitionLoadError[]): void {
    const files = new Set(errors.map((error) => error.file)).size;
    if (files > 0) this.refused.inc(files);
  }
}
