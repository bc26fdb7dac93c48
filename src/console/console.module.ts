import { Module } from '@nestjs/common';
import { RulesModule } from '../rules/rules.module';
import { SpawnLogModule } from '../spawn-log/spawn-log.module';
import { ConsoleController } from './console.controller';
import { ConsoleService } from './console.service';

@Module({ imports: [RulesModule, SpawnLogModule], controllers: [ConsoleController], providers: [ConsoleService] })
export class ConsoleModule {}
