import { BadRequestException, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvalidCursorError } from './cursor';
import { SpawnLogQueryDto } from './spawn-log.dto';
import { SpawnLogPage, SpawnLogRepository } from './spawn-log.repository';
import { TaskSpawnLog } from './task-spawn-log.entity';

@ApiTags('spawn-log')
@ApiBearerAuth()
@Controller('spawn-log')
export class SpawnLogController {
  constructor(private readonly spawnLog: SpawnLogRepository) {}

  @Get()
  @ApiOperation({ summary: 'Decisions, newest first, with filters and cursor pagination' })
  async list(@Query() query: SpawnLogQueryDto): Promise<SpawnLogPage> {
    try {
      return await this.spawnLog.list({
        source_id: query.source_id,
        triggering_event_id: query.triggering_event_id,
        status: query.status,
        sink_type: query.sink_type,
        since: query.since ? new Date(query.since) : undefined,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new BadRequestException([`cursor: ${error.message}`]);
      throw error;
    }
  }

  @Get(':id')
  @ApiOperation({ summary: 'One decision with its full audit record' })
  async get(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(['id must be a uuid']) }))
    id: string,
  ): Promise<TaskSpawnLog> {
    const row = await this.spawnLog.findById(id);
    if (!row) throw new NotFoundException(`no decision with id ${id}`);
    return row;
  }
}
