import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { describeDatabaseError } from '../common/database-errors';
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
      // The condition, never Postgres' own text (it may quote a role, a database or data).
      return indicator.down({
        reason: /did not answer within/.test((error as Error)?.message ?? '') ? (error as Error).message : describeDatabaseError(error),
      });
    }
  }
}
