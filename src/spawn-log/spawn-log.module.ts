import { Module } from '@nestjs/common';
import { SpawnLogController } from './spawn-log.controller';
import { SpawnLogRepository } from './spawn-log.repository';
import { SpawnRecoveryRepository } from './spawn-recovery.repository';

@Module({
  controllers: [SpawnLogController],
  providers: [SpawnLogRepository, SpawnRecoveryRepository],
  exports: [SpawnLogRepository, SpawnRecoveryRepository],
})
export class SpawnLogModule {}
