import { Module } from '@nestjs/common';
import { SpawnLogController } from './spawn-log.controller';
import { SpawnLogStatsRepository } from './spawn-log-stats.repository';
import { SpawnLogMetrics } from './spawn-log.metrics';
import { SpawnLogRepository } from './spawn-log.repository';

@Module({
  controllers: [SpawnLogController],
  providers: [SpawnLogRepository, SpawnLogStatsRepository, SpawnLogMetrics],
  exports: [SpawnLogRepository, SpawnLogStatsRepository],
})
export class SpawnLogModule {}
