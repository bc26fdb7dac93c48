// `activity-core definitions validate` and `definitions test <key> --event FILE [--now ISO]`.
import { Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { readFileSync } from 'node:fs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { definitionsConfig } from '../config/namespaces';
import { loadDefinitions } from '../rules/definition.loader';
import { formatLoadError } from '../rules/definition.types';
import { parseTestRequest, testDefinition } from '../rules/rule-tester';
import { EXIT, print, printError, printJson } from './cli-output';

@SubCommand({ name: 'validate', description: 'Load every definition in DEFINITIONS_DIR; exit 1 when any is refused (for a rule repository CI)' })
export class ValidateDefinitionsCommand extends CommandRunner {
  constructor(@Inject(definitionsConfig.KEY) private readonly source: ConfigType<typeof definitionsConfig>) {
    super();
  }

  async run(): Promise<void> {
    const { definitions, errors } = loadDefinitions(this.source.dir);
    for (const definition of definitions) print(`ok      ${definition.file}: ${definition.key} (${definition.trigger.kind}, ${definition.hash})`);
    for (const error of errors) print(`refused ${formatLoadError(error)}`);
    print(`${definitions.length} loaded, ${new Set(errors.map((e) => e.file)).size} refused`);
    process.exitCode = errors.length > 0 ? EXIT.failed : EXIT.ok;
  }
}

interface TestOptions {
  event?: string;
  now?: string;
}

@SubCommand({
  name: 'test',
  arguments: '<key>',
  description: 'Dry-evaluate one definition against an event file; exit 0 match, 1 no match, 2 invalid. Writes nothing.',
})
export class TestDefinitionCommand extends CommandRunner {
  constructor(@Inject(definitionsConfig.KEY) private readonly source: ConfigType<typeof definitionsConfig>) {
    super();
  }

  async run([key]: string[], options: TestOptions): Promise<void> {
    const { definitions, errors } = loadDefinitions(this.source.dir);
    const definition = definitions.find((d) => d.key === key);
    if (!definition) {
      const refused = errors.filter((e) => e.key === key).map(formatLoadError);
      printError(refused.length ? `definition ${key} is invalid:\n  ${refused.join('\n  ')}` : `no definition with key ${key} in ${this.source.dir}`);
      process.exitCode = EXIT.invalid;
      return;
    }
    if (!options.event) {
      printError('--event FILE is required');
      process.exitCode = EXIT.invalid;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(options.event, 'utf8'));
    } catch (error) {
      printError(`cannot read the event in ${options.event}: ${(error as Error).message}`);
      process.exitCode = EXIT.invalid;
      return;
    }
    // The same request checks and decision as POST /definitions/:key/test.
    const request = parseTestRequest(parsed, options.now, new Date());
    if (!request.ok) {
      printError(
        `invalid input:\n  ${request.problems.map((p) => p.replace(/^now /, '--now ').replace(/^event /, `the event in ${options.event} `)).join('\n  ')}`,
      );
      process.exitCode = EXIT.invalid;
      return;
    }
    const report = testDefinition(definition, request.request.event, request.request.now);
    if (report.reason === 'invalid_event') {
      printError(`invalid event in ${options.event} (intake refuses it):\n  ${(report.problems ?? []).join('\n  ')}`);
      process.exitCode = EXIT.invalid;
      return;
    }
    printJson(report);
    process.exitCode = report.matched ? EXIT.ok : EXIT.noMatch;
  }

  @Option({ flags: '--event <file>', description: 'a CloudEvent in structured JSON' })
  parseEvent(value: string): string {
    return value;
  }

  @Option({ flags: '--now <iso>', description: 'the evaluation time (default: now)' })
  parseNow(value: string): string {
    return value;
  }
}

@Command({ name: 'definitions', description: 'Work with activity definitions', subCommands: [ValidateDefinitionsCommand, TestDefinitionCommand] })
export class DefinitionsCommand extends CommandRunner {
  async run(): Promise<void> {
    printError('usage: activity-core definitions <validate|test <key> --event FILE [--now ISO]>');
    process.exitCode = EXIT.invalid;
  }
}
