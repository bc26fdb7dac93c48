import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrors, ApiGuardErrors } from '../common/error-body';
import { hadEmptyBody, JSON_BODY_TYPES } from '../common/http-errors';
import { ref } from '../spawn-log/spawn-log.schemas';
import { formatLoadError } from './definition.types';
import { definitionView } from './definition.view';
import { DefinitionsService } from './definitions.service';
import { parseTestRequest, testDefinition, TestReport } from './rule-tester';
import { ScheduleReconciler } from './schedule-reconciler.service';

const TEST_FIELDS = ['event', 'now'];
const KEY_PARAM = { name: 'key', description: 'the definition key', schema: { type: 'string', minLength: 1 } } as const;

@ApiTags('definitions')
@ApiBearerAuth()
@ApiGuardErrors()
@Controller('definitions')
export class DefinitionsController {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly schedules: ScheduleReconciler,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Loaded definitions, the files refused with their errors, and the schedules Temporal refused or left stale' })
  @ApiOkResponse({ schema: ref('DefinitionList') })
  list() {
    const schedules = this.schedules.lastReport();
    return {
      definitions: this.definitions.all().map(definitionView),
      errors: this.definitions.errors().map((error) => ({ ...error, text: formatLoadError(error) })),
      // Each schedule Temporal refused at the last reconciliation, with its reason; and schedules of
      // rules not enabled here, left for `activity-core schedules prune`.
      schedule_errors: schedules.failed,
      stale_schedules: schedules.stale,
    };
  }

  @Get(':key')
  @ApiOperation({ summary: 'One loaded definition' })
  @ApiParam(KEY_PARAM)
  @ApiOkResponse({ schema: ref('Definition') })
  @ApiErrors(404)
  get(@Param('key') key: string) {
    const definition = this.definitions.get(key);
    if (!definition) throw this.notFound(key);
    return definitionView(definition);
  }

  @Post(':key/test')
  @HttpCode(200)
  @ApiParam(KEY_PARAM)
  @ApiConsumes(...JSON_BODY_TYPES)
  @ApiBody({
    schema: {
      ...ref('DefinitionTestRequest'),
      example: {
        event: { specversion: '1.0', id: 'e1', source: 'ci', type: 'sbom.generated', subject: 'acme-api', time: '2026-11-20T06:00:00Z' },
        now: '2026-11-30T06:00:00Z',
      },
    },
  })
  @ApiOperation({
    summary: 'Dry-evaluate as the service would: matched or not, the stage that refused, the rendered task; writes nothing',
  })
  @ApiOkResponse({ schema: ref('DefinitionTestReport') })
  @ApiErrors(400, 404, 413, 415)
  test(@Param('key') key: string, @Body() body: unknown, @Req() request: Request): TestReport {
    const definition = this.definitions.get(key);
    if (!definition) throw this.notFound(key);
    if (hadEmptyBody(request) || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException(['body must be a JSON object: { "event": {...}, "now": "2026-11-30T06:00:00Z" }']);
    }
    const fields = body as Record<string, unknown>;
    const unknown = Object.keys(fields).filter((name) => !TEST_FIELDS.includes(name));
    const parsed = parseTestRequest(fields.event, fields.now, new Date());
    const problems = [
      ...unknown.map((name) => `${name} is not a field of a test request (accepted: ${TEST_FIELDS.join(', ')})`),
      ...(parsed.ok ? [] : parsed.problems),
    ];
    if (problems.length || !parsed.ok) throw new BadRequestException(problems);
    return testDefinition(definition, parsed.request.event, parsed.request.now);
  }

  private notFound(key: string): NotFoundException {
    const refused = this.definitions.errorsFor(key).map(formatLoadError);
    return new NotFoundException([refused.length ? `definition ${key} was refused at load: ${refused.join('; ')}` : `no definition with key ${key}`]);
  }
}
