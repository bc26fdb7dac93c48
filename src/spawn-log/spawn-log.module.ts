import { Module } from '@nestjs/common';
import { SpawnLogController } from './spawn-log.controller';
import { SpawnLogStatsRepository } from './spawn-log-stats.repository';
import { SpawnLogMetrics } from './spawn-log.metrics';
import { SpawnLogRepository } from './spawn-log.repository';
import { SpawnRecoveryRepository } from './spawn-recovery.repository';

@Module({
  controllers: [SpawnLogController],
  providers: [SpawnLogRepository, SpawnLogStatsRepository, SpawnLogMetrics, SpawnRecoveryRepository],
  exports: [SpawnLogRepository, SpawnLogStatsRepository, SpawnRecoveryRepository],
})
export class SpawnLogModule {}
