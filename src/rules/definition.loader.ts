// Reads DEFINITIONS_DIR: every *.yaml / *.yml file, one definition each. A broken file is
// refused with its errors; the others still load. Duplicate keys: the first file (by name) wins.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ActivityDefinition, DefinitionLoadError } from './definition.types';
import { parseDefinition } from './definition.parser';

export interface LoadedDefinitions {
  definitions: ActivityDefinition[];
  errors: DefinitionLoadError[];
}

export function loadDefinitions(dir: string): LoadedDefinitions {
  const definitions: ActivityDefinition[] = [];
  const errors: DefinitionLoadError[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((name) => /\.ya?ml$/i.test(name))
      .sort();
  } catch (error) {
    return { definitions, errors: [{ file: dir, field: '(directory)', message: (error as Error).message }] };
  }
  const shown = (name: string) => relative(process.cwd(), join(dir, name)) || name;
  for (const name of files) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const result = parseDefinition(shown(name), readFileSync(path, 'utf8'));
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const clash = definitions.find((d) => d.key === result.definition.key || d.id === result.definition.id);
    if (clash) {
      const what = clash.key === result.definition.key ? 'key' : 'id';
      errors.push({ file: shown(name), key: result.definition.key, field: what, message: `${what} already used by ${clash.file}` });
      continue;
    }
    definitions.push(result.definition);
  }
  return { definitions, errors };
}
