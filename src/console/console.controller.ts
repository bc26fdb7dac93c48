// The read-only console: one static page (public, it holds no data) over JSON routes that obey
// API_TOKEN like every admin route. No build chain: the page is plain HTML, CSS and JavaScript.
import { BadRequestException, Controller, Get, Header, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiErrors, ApiGuardErrors } from '../common/error-body';
import { Public } from '../common/public.decorator';
import type { ConfigType } from '@nestjs/config';
import { httpConfig } from '../config/namespaces';
import { DefinitionsService } from '../rules/definitions.service';
import { ConsoleService } from './console.service';

const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;
type Asset = keyof typeof ASSETS;

const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

@ApiTags('console')
@Controller('console')
export class ConsoleController {
  private readonly files = new Map<Asset, string>();

  constructor(
    private readonly view: ConsoleService,
    private readonly definitions: DefinitionsService,
    @Inject(httpConfig.KEY) http: ConfigType<typeof httpConfig>,
  ) {
    // Under jest (the TypeScript sources) this is src/console/public; once built, dist/console/public (nest-cli assets).
    for (const name of Object.keys(ASSETS) as Asset[]) this.files.set(name, readFileSync(join(__dirname, 'public', name), 'utf8'));
    // The page asks for the token only when one is required (saying so reveals nothing a 401 would not).
    const page = this.files.get('index.html') as string;
    this.files.set('index.html', page.replace('__TOKEN_REQUIRED__', http.apiToken ? 'true' : 'false'));
  }

  // The page and its assets are HTML, CSS and JavaScript, not API: the document leaves them out.
  @Public()
  @Get()
  @ApiExcludeEndpoint()
  @ApiOperation({ summary: 'The console page (it asks for API_TOKEN when one is required)' })
  page(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Public()
  @Get('assets/:name')
  @ApiExcludeEndpoint()
  asset(@Param('name') name: string, @Res() res: Response): void {
    if (name !== 'console.js' && name !== 'console.css') throw new NotFoundException([`no console asset ${name}`]);
    this.send(res, name);
  }

  @ApiBearerAuth()
  @ApiGuardErrors()
  @Get('api/overview')
  @ApiOkResponse({
    description: 'the overview the page draws',
    schema: { type: 'object', required: ['generated_at', 'sink_type', 'rules', 'refused', 'held', 'failed'] },
  })
  @ApiErrors(503)
  @ApiOperation({ summary: 'Rules (mode, trigger, next tick, hash, counts 24 h / 7 d), refused files, held and failed' })
  @Header('Cache-Control', 'no-store')
  overview() {
    return this.view.overview();
  }

  @ApiBearerAuth()
  @ApiGuardErrors()
  @Get('api/rules/:key/chart')
  @ApiOkResponse({ description: "the rule's buckets", schema: { type: 'object', required: ['key', 'range', 'bars'], properties: { bars: { type: 'array' } } } })
  @ApiErrors(400, 404, 503)
  @ApiQuery({ name: 'range', enum: ['24h', '7d'], required: false })
  @ApiOperation({ summary: "A rule's decisions per hour (24h) or per UTC day (7d), dry-run and live apart, by status" })
  @Header('Cache-Control', 'no-store')
  chart(@Param('key') key: string, @Query('range') range?: string) {
    if (range !== undefined && range !== '24h' && range !== '7d') throw new BadRequestException(['range must be one of: 24h, 7d']);
    if (!this.definitions.get(key)) throw new NotFoundException([`no definition with key ${key}`]);
    return this.view.chart(key, range ?? '24h');
  }

  private send(res: Response, name: Asset): void {
    res.setHeader('Content-Type', ASSETS[name]);
    res.setHeader('Content-Security-Policy', PAGE_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(this.files.get(name));
  }
}
