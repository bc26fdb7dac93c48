import { Module } from '@nestjs/common';
import { EmissionModule } from '../emission/emission.module';
import { SpawnLogModule } from '../spawn-log/spawn-log.module';
import { SpawnActivities } from './spawn.activities';
import { SpawnService } from './spawn.service';

@Module({
  imports: [EmissionModule, SpawnLogModule],
  providers: [SpawnService, SpawnActivities],
  exports: [SpawnService],
})
export class SpawnModule {}
