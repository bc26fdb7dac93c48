import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { timeBox } from '../common/time-box';

const PING_BUDGET_MS = 2_000;

@Injectable()
export class PostgresHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  async check(key = 'postgres'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await timeBox(this.dataSource.query('SELECT 1'), PING_BUDGET_MS, 'postgres');
      return indicator.up();
    } catch (error) {
      return indicator.down({ reason: `postgres unreachable: ${(error as Error).message}` });
    }
  }
}
