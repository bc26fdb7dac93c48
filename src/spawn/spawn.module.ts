import { Module } from '@nestjs/common';
import { EmissionModule } from '../emission/emission.module';
import { SpawnLogModule } from '../spawn-log/spawn-log.module';
import { SpawnActivities } from './spawn.activities';
import { SpawnRecoveryService } from './spawn-recovery.service';
import { SpawnMetrics } from './spawn.metrics';
import { SpawnService } from './spawn.service';

@Module({
  imports: [EmissionModule, SpawnLogModule],
  providers: [SpawnService, SpawnRecoveryService, SpawnActivities, SpawnMetrics],
  exports: [SpawnService, SpawnRecoveryService],
})
export class SpawnModule {}
