import { Module } from '@nestjs/common';
import { SpawnLogController } from './spawn-log.controller';
import { SpawnLogRepository } from './spawn-log.repository';

@Module({
  controllers: [SpawnLogController],
  providers: [SpawnLogRepository],
  exports: [SpawnLogRepository],
})
export class SpawnLogModule {}
