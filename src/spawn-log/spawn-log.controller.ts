import { applyDecorators, BadRequestException, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiGuardErrors } from '../common/error-body';
import { parseQuery } from '../common/input-parsers';
import { InvalidCursorError } from './cursor';
import { LIMIT, SPAWN_LOG_QUERY, SPAWN_LOG_QUERY_DOCS } from './spawn-log.dto';
import type { SpawnLogPage } from './spawn-log-page';
import { SpawnLogRepository } from './spawn-log.repository';
import { ref } from './spawn-log.schemas';
import type { SinkType } from '../common/sink-type';
import { SpawnStatus, TaskSpawnLog } from './task-spawn-log.entity';

@ApiTags('spawn-log')
@ApiBearerAuth()
@ApiGuardErrors()
@Controller('spawn-log')
export class SpawnLogController {
  constructor(private readonly spawnLog: SpawnLogRepository) {}

  @Get()
  @ApiOperation({ summary: 'Decisions, newest first, with filters and cursor pagination' })
  @applyDecorators(...SPAWN_LOG_QUERY_DOCS.map((doc) => ApiQuery(doc)))
  @ApiOkResponse({ schema: ref('SpawnLogPage') })
  @ApiErrors(400, 503)
  async list(@Query() raw: Record<string, unknown>): Promise<SpawnLogPage> {
    const parsed = parseQuery(raw, SPAWN_LOG_QUERY);
    if (!parsed.ok) throw new BadRequestException(parsed.problems);
    const query = parsed.values as {
      source_id?: string;
      triggering_event_id?: string;
      status?: SpawnStatus;
      sink_type?: SinkType;
      since?: Date;
      limit?: number;
      cursor?: string;
    };
    try {
      return await this.spawnLog.list({ ...query, limit: query.limit ?? LIMIT.default });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new BadRequestException([`cursor: ${error.message}`]);
      throw error;
    }
  }

  @Get(':id')
  @ApiOperation({ summary: 'One decision with its full audit record' })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ schema: ref('SpawnLogEntry') })
  @ApiErrors(400, 404, 503)
  async get(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(['id must be a uuid']) }))
    id: string,
  ): Promise<TaskSpawnLog> {
    const row = await this.spawnLog.findById(id);
    if (!row) throw new NotFoundException([`no decision with id ${id}`]);
    return row;
  }
}
