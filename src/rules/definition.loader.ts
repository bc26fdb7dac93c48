// Reads DEFINITIONS_DIR: every *.yaml / *.yml file, one definition each. A broken file is
// refused with its errors; the others still load. Duplicate keys: the first file (by name) wins.
// Whatever a file holds (any size, any bytes, anything that makes the parser throw), it is refused
// on its own, with its file, field and position.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ActivityDefinition, DefinitionLoadError } from './definition.types';
import { parseDefinition } from './definition.parser';

export interface LoadedDefinitions {
  definitions: ActivityDefinition[];
  errors: DefinitionLoadError[];
}

/** Largest definition file read (a rule is a few hundred bytes). */
export const MAX_DEFINITION_BYTES = 64 * 1024;

function parseFile(shown: string, path: string): ReturnType<typeof parseDefinition> {
  try {
    const size = statSync(path).size;
    if (size > MAX_DEFINITION_BYTES) {
      return { ok: false, errors: [{ file: shown, field: '(file)', message: `is ${size} bytes, over the limit of ${MAX_DEFINITION_BYTES}` }] };
    }
    return parseDefinition(shown, readFileSync(path, 'utf8'));
  } catch (error) {
    return {
      ok: false,
      errors: [{ file: shown, field: '(file)', message: `could not be read or parsed: ${(error as Error)?.message?.split('\n')[0] ?? String(error)}` }],
    };
  }
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
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch {
      continue; // gone since the listing
    }
    if (!isFile) continue;
    const result = parseFile(shown(name), path);
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
