// The definitions loaded from DEFINITIONS_DIR at start-up, indexed by event type.
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConfigurationError } from '../config/environment';
import { loadDefinitions, LoadedDefinitions } from './definition.loader';
import { ActivityDefinition, DefinitionLoadError, formatLoadError } from './definition.types';
import { DefinitionsMetrics } from './definitions.metrics';
import { RuleIndex } from './rule-index';

@Injectable()
export class DefinitionsService implements OnModuleInit {
  private readonly logger = new Logger('Definitions');
  private loaded: LoadedDefinitions = { definitions: [], errors: [] };
  private index = new RuleIndex([]);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: DefinitionsMetrics,
  ) {}

  onModuleInit(): void {
    this.reload();
    this.assertLiveRulesLoaded();
  }

  /** A misspelt canary key would silently keep its rule in dry-run: refuse to start, naming it. */
  private assertLiveRulesLoaded(): void {
    const unknown = this.config.sink.liveRules.filter((key) => !this.get(key));
    if (unknown.length === 0) return;
    const refused = unknown.filter((key) => this.errorsFor(key).length > 0);
    throw new ConfigurationError([
      `ISSUE_SINK_LIVE_RULES names ${unknown.map((key) => `'${key}'`).join(', ')}, not loaded from ${this.config.definitionsDir}` +
        (refused.length ? ` (refused at load: ${refused.join(', ')})` : ''),
    ]);
  }

  reload(): void {
    this.loaded = loadDefinitions(this.config.definitionsDir);
    this.index = new RuleIndex(this.loaded.definitions);
    for (const error of this.loaded.errors) this.logger.error(`definition refused: ${formatLoadError(error)}`);
    this.metrics.countRefused(this.loaded.errors);
    this.logger.log(
      `loaded ${this.loaded.definitions.length} definition(s) from ${this.config.definitionsDir}` +
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
