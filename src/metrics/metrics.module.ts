import { Global, Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics.service';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Global()
@Module({ controllers: [MetricsController], providers: [MetricsService, HttpMetrics], exports: [MetricsService, HttpMetrics] })
export class MetricsModule {}
