// The definitions loaded from DEFINITIONS_DIR at start-up (RulesModule), indexed by event type.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { definitionsConfig, sinkConfig } from '../config/namespaces';
import { ConfigurationError } from '../config/environment';
import { loadDefinitions, LoadedDefinitions } from './definition.loader';
import { ActivityDefinition, DefinitionLoadError, formatLoadError } from './definition.types';
import { DefinitionsMetrics } from './definitions.metrics';
import { RuleIndex } from './rule-index';

@Injectable()
export class DefinitionsService {
  private readonly logger = new Logger('Definitions');
  private loaded: LoadedDefinitions = { definitions: [], errors: [] };
  private index = new RuleIndex([]);

  constructor(
    @Inject(definitionsConfig.KEY) private readonly source: ConfigType<typeof definitionsConfig>,
    @Inject(sinkConfig.KEY) private readonly sink: ConfigType<typeof sinkConfig>,
    private readonly metrics: DefinitionsMetrics,
  ) {}

  /** The service's start: loads, and refuses to start when a canary rule is not loaded. */
  loadAtStartup(): void {
    this.reload();
    this.assertLiveRulesLoaded();
  }

  /** A misspelt canary key would silently keep its rule in dry-run: refuse to start, naming it. */
  private assertLiveRulesLoaded(): void {
    const unknown = this.sink.liveRules.filter((key) => !this.get(key));
    if (unknown.length === 0) return;
    const refused = unknown.filter((key) => this.errorsFor(key).length > 0);
    throw new ConfigurationError([
      `ISSUE_SINK_LIVE_RULES names ${unknown.map((key) => `'${key}'`).join(', ')}, not loaded from ${this.source.dir}` +
        (refused.length ? ` (refused at load: ${refused.join(', ')})` : ''),
    ]);
  }

  reload(): void {
    this.loaded = loadDefinitions(this.source.dir);
    this.index = new RuleIndex(this.loaded.definitions);
    for (const error of this.loaded.errors) this.logger.error(`definition refused: ${formatLoadError(error)}`);
    this.metrics.countRefused(this.loaded.errors);
    this.logger.log(
      `loaded ${this.loaded.definitions.length} definition(s) from ${this.source.dir}` +
        (this.loaded.errors.length ? `, refused ${new Set(this.loaded.errors.map((e) => e.file)).size} file(s)` : ''),
    );
  }

  all(): readonly ActivityDefinition[] {
    return this.loaded.definitions;
  }

  errors(): readonly DefinitionLoadError[] {
    return this.loaded.errors;
  }

  get(key: string): ActivityDefinition | undefined {
    return this.loaded.definitions.find((definition) => definition.key === key);
  }

  errorsFor(key: string): DefinitionLoadError[] {
    return this.loaded.errors.filter((error) => error.key === key);
  }

  candidatesFor(eventType: string): readonly ActivityDefinition[] {
    return this.index.candidates(eventType);
  }

  enabledSchedules(): ActivityDefinition[] {
    return this.loaded.definitions.filter((d) => d.enabled && d.trigger.kind === 'schedule');
  }
}
