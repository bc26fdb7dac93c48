import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SINK_TYPES, SinkType } from '../config/environment';
import { SPAWN_STATUSES, SpawnStatus } from './task-spawn-log.entity';

export class SpawnLogQueryDto {
  @ApiPropertyOptional({ description: 'definition key' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source_id?: string;

  @ApiPropertyOptional({ description: 'CloudEvent id or schedule:<key>:<time>' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  triggering_event_id?: string;

  @ApiPropertyOptional({ enum: SPAWN_STATUSES })
  @IsOptional()
  @IsIn(SPAWN_STATUSES, { message: `status must be one of: ${SPAWN_STATUSES.join(', ')}` })
  status?: SpawnStatus;

  @ApiPropertyOptional({ enum: SINK_TYPES, description: 'the mode the decision was made in: null (dry-run) or rest (live)' })
  @IsOptional()
  @IsIn(SINK_TYPES, { message: `sink_type must be one of: ${SINK_TYPES.join(', ')}` })
  sink_type?: SinkType;

  @ApiPropertyOptional({ description: 'ISO 8601 time; decisions created at or after it' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time, e.g. 2026-11-27T00:00:00Z' })
  since?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 200' })
  @Min(1, { message: 'limit must be a whole number from 1 to 200' })
  @Max(200, { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor from the previous page' })
  @IsOptional()
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  cursor?: string;
}
