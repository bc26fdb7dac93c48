import { Module } from '@nestjs/common';
import { EventPartitionsRepository } from './event-partitions.repository';
import { EventsRepository } from './events.repository';

@Module({ providers: [EventsRepository, EventPartitionsRepository], exports: [EventsRepository, EventPartitionsRepository] })
export class EventsModule {}
