// POST /events: the NATS path over HTTP. GET /events/:id/explain: why it fired or did not.
import { BadRequestException, Body, Controller, Get, HttpCode, Logger, Param, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { classifyDatabaseError, describeDatabaseError } from '../common/database-errors';
import { validateCloudEvent } from './cloud-event.validation';
import { ExplainService } from './explain.service';
import { IntakeService } from './intake.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  private readonly logger = new Logger('EventsController');

  constructor(
    private readonly intake: IntakeService,
    private readonly explainer: ExplainService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiBody({
    description: 'A CloudEvents 1.0 event in structured JSON',
    schema: { example: { specversion: '1.0', id: 'sbom-123', source: 'ci://builds', type: 'sbom.generated', subject: 'acme-api', time: '2026-11-27T06:00:00Z', data: {} } },
  })
  @ApiOperation({ summary: 'Take in one event: stored once, evaluated once; 202 with its decisions' })
  async receive(@Body() body: unknown) {
    if (body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
      throw new BadRequestException(['body must be a CloudEvent in JSON (Content-Type: application/json or application/cloudevents+json)']);
    }
    const validated = validateCloudEvent(body);
    if (!validated.ok) throw new BadRequestException(validated.problems);
    let outcome;
    try {
      outcome = await this.intake.ingest([validated.event], [], 'http');
    } catch (error) {
      // Postgres' own text stays in the (redacted) log; the answer names the condition.
      this.logger.warn(`event ${validated.event.id} from ${validated.event.source} not stored: ${describeDatabaseError(error)}: ${(error as Error)?.message}`);
      if (classifyDatabaseError(error) === 'data') throw new BadRequestException([`the event cannot be stored: ${describeDatabaseError(error)}`]);
      throw new ServiceUnavailableException('the event was not stored (Postgres unreachable or busy): retry later');
    }
    const [stored] = outcome.stored;
    await outcome.requestSpawns();
    return {
      event_id: stored.event.id,
      source: stored.event.source,
      duplicate: stored.duplicate,
      decisions: stored.decisions.map((row) => ({
        id: row.id,
        source_id: row.source_id,
        status: row.status,
        reason: row.reason,
        dedupe_key: row.dedupe_key,
        workflow_id: row.workflow_id,
        task_spec: row.task_spec,
      })),
    };
  }

  @Get(':id/explain')
  @ApiQuery({ name: 'source', required: false, description: 'the CloudEvent source, when the id is used by several' })
  @ApiOperation({ summary: 'Every candidate rule for a stored event: whether it held, the inputs it saw, the decision row' })
  explain(@Param('id') id: string, @Query('source') source?: string) {
    return this.explainer.explain(id, source);
  }
}
