// The spawn log: its entity, the repositories over task_spawn_log, and the audit API.
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SpawnLogController } from './spawn-log.controller';
import { SpawnLogStatsRepository } from './spawn-log-stats.repository';
import { SpawnLogMetrics } from './spawn-log.metrics';
import { SpawnLogRepository } from './spawn-log.repository';
import { SpawnRecoveryRepository } from './spawn-recovery.repository';
import { TaskSpawnLog } from './task-spawn-log.entity';

@Module({
  imports: [TypeOrmModule.forFeature([TaskSpawnLog])],
  controllers: [SpawnLogController],
  providers: [SpawnLogRepository, SpawnLogStatsRepository, SpawnLogMetrics, SpawnRecoveryRepository],
  exports: [SpawnLogRepository, SpawnLogStatsRepository, SpawnRecoveryRepository],
})
export class SpawnLogModule {}
