import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, IsISO8601, IsOptional } from 'class-validator';
import { validateCloudEvent } from '../intake/cloud-event.validation';
import { formatLoadError } from './definition.types';
import { definitionView } from './definition.view';
import { DefinitionsService } from './definitions.service';
import { ScheduleReconciler } from './schedule-reconciler.service';
import { testDefinition, TestReport } from './rule-tester';

export class DefinitionTestDto {
  /** The CloudEvent to evaluate against (structured mode). */
  @Allow()
  event: unknown;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'now must be an ISO 8601 date-time, e.g. 2026-11-30T06:00:00Z' })
  now?: string;
}

@ApiTags('definitions')
@ApiBearerAuth()
@Controller('definitions')
export class DefinitionsController {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly schedules: ScheduleReconciler,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Loaded definitions, the files refused with their errors, and the schedules Temporal refused or left stale' })
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
  get(@Param('key') key: string) {
    const definition = this.definitions.get(key);
    if (!definition) throw this.notFound(key);
    return definitionView(definition);
  }

  @Post(':key/test')
  @HttpCode(200)
  @ApiBody({ schema: { example: { event: { specversion: '1.0', id: 'e1', source: 'ci', type: 'sbom.generated', subject: 'acme-api', time: '2026-11-20T06:00:00Z' }, now: '2026-11-30T06:00:00Z' } } })
  @ApiOperation({ summary: 'Dry-evaluate against a supplied event and now: matched or not, why, and the rendered task; writes nothing' })
  test(@Param('key') key: string, @Body() body: DefinitionTestDto): TestReport {
    const definition = this.definitions.get(key);
    if (!definition) throw this.notFound(key);
    const validated = validateCloudEvent(body.event);
    if (!validated.ok) throw new BadRequestException(validated.problems.map((problem) => `event.${problem}`));
    return testDefinition(definition, validated.event, body.now ? new Date(body.now) : new Date());
  }

  private notFound(key: string): NotFoundException {
    const refused = this.definitions.errorsFor(key).map(formatLoadError);
    return new NotFoundException(
      refused.length ? `definition ${key} was refused at load: ${refused.join('; ')}` : `no definition with key ${key}`,
    );
  }
}
