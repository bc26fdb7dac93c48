// POST /events: the NATS path over HTTP. GET /events/:id/explain: why it fired or did not.
import { BadRequestException, Body, Controller, Get, HttpCode, Logger, Param, Post, Query, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { classifyDatabaseError, describeDatabaseError } from '../common/database-errors';
import { ApiErrors, ApiGuardErrors } from '../common/error-body';
import { hadEmptyBody, JSON_BODY_TYPES } from '../common/http-errors';
import { jsonKind, MAX_ID_LENGTH, parseId, parseQuery } from '../common/input-parsers';
import { ref } from '../spawn-log/spawn-log.schemas';
import { validateCloudEvent } from '../events/cloud-event.validation';
import { ExplainService } from './explain.service';
import { IntakeService } from './intake.service';

@ApiTags('events')
@ApiBearerAuth()
@ApiGuardErrors()
@Controller('events')
export class EventsController {
  private readonly logger = new Logger('EventsController');

  constructor(
    private readonly intake: IntakeService,
    private readonly explainer: ExplainService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes(...JSON_BODY_TYPES)
  @ApiBody({
    description: 'A CloudEvents 1.0 event in structured JSON',
    schema: {
      ...ref('CloudEvent'),
      example: {
        specversion: '1.0',
        id: 'sbom-123',
        source: 'ci://builds',
        type: 'sbom.generated',
        subject: 'acme-api',
        time: '2026-11-27T06:00:00Z',
        data: {},
      },
    },
  })
  @ApiOperation({ summary: 'Take in one event: stored once, evaluated once; 202 with its decisions' })
  @ApiAcceptedResponse({ schema: ref('IntakeResult') })
  @ApiErrors(400, 413, 415, 503)
  async receive(@Body() body: unknown, @Req() request: Request) {
    if (hadEmptyBody(request)) {
      throw new BadRequestException([`body is empty: send one CloudEvent as a JSON object (Content-Type: ${JSON_BODY_TYPES.join(' or ')})`]);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException([`body is valid JSON but ${jsonKind(body)}, not an object: send one CloudEvent as a JSON object`]);
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
      throw new ServiceUnavailableException(['the event was not stored: the store (Postgres) is unreachable or busy, retry later']);
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
  @ApiParam({ name: 'id', description: 'the CloudEvent id', schema: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH } })
  @ApiQuery({
    name: 'source',
    required: false,
    description: 'the CloudEvent source, when the id is used by several',
    schema: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH },
  })
  @ApiOperation({ summary: 'Every candidate rule for a stored event: whether it held, the inputs it saw, the decision row' })
  @ApiOkResponse({ schema: ref('Explanation') })
  @ApiErrors(400, 404, 409, 503)
  explain(@Param('id') id: string, @Query() raw: Record<string, unknown>) {
    const query = parseQuery(raw, { source: parseId });
    const problems = query.ok ? [] : [...query.problems];
    const parsedId = parseId('id', id);
    if (!parsedId.ok) problems.unshift(parsedId.problem);
    if (problems.length || !query.ok) throw new BadRequestException(problems);
    return this.explainer.explain(id, query.values.source as string | undefined);
  }
}
