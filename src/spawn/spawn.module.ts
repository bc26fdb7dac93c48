import { Module } from '@nestjs/common';
import { EmissionModule } from '../emission/emission.module';
import { SpawnLogModule } from '../spawn-log/spawn-log.module';
import { SpawnActivities } from './spawn.activities';
import { SpawnMetrics } from './spawn.metrics';
import { SpawnService } from './spawn.service';

@Module({
  imports: [EmissionModule, SpawnLogModule],
  providers: [SpawnService, SpawnActivities, SpawnMetrics],
  exports: [SpawnService],
})
export class SpawnModule {}
