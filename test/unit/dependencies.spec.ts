// package.json says what the code uses: every package imported is declared, and every package
// declared is imported, run by a script, named by a tool's config, or required by another as a peer.
// Also: the unit tier reaches no service, so it runs with Postgres, NATS and Temporal stopped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const declared = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];

function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}

const CODE = /\.(ts|js|mjs|cjs)$/;
const rootFiles = readdirSync(ROOT, { withFileTypes: true }).filter((entry) => entry.isFile());
const codeFiles = [...['src', 'test', 'scripts'].flatMap((dir) => filesUnder(dir, CODE)), ...rootFiles.map((e) => e.name).filter((name) => CODE.test(name))];

/** Module specifiers of a file: imports, `import type`, re-exports, require() and import(). */
function specifiersOf(path: string): string[] {
  return ts.preProcessFile(read(path), true, true).importedFiles.map((file) => file.fileName);
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier));
const isPackage = (specifier: string) => !specifier.startsWith('.') && !specifier.startsWith('/');

const imports = new Map<string, string[]>(); // package → files importing it
let importsBuiltins = false;
for (const file of codeFiles) {
  for (const specifier of specifiersOf(file).filter(isPackage)) {
    if (isBuiltin(specifier)) {
      importsBuiltins = true;
      continue;
    }
    const name = packageOf(specifier);
    imports.set(name, [...(imports.get(name) ?? []), file]);
  }
}

/** What the scripts run: package.json scripts, shell scripts, CI. */
const scriptText = [...Object.values(pkg.scripts), ...filesUnder('scripts', /\.sh$/).map(read), ...filesUnder('.ci', /^run$/).map(read)].join('\n');
/** Tool configuration that names packages as strings (jest's transform, the Nest CLI's plugins, ...). */
const configText = rootFiles
  .map((entry) => entry.name)
  .filter((name) => /\.config\.(js|mjs|cjs|ts)$/.test(name) || (/\.json$/.test(name) && !/^package(-lock)?\.json$/.test(name)))
  .map(read)
  .join('\n');

function manifestOf(name: string): {
  bin?: string | Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
} {
  return JSON.parse(read(join('node_modules', name, 'package.json')));
}

function binsOf(name: string): string[] {
  const { bin } = manifestOf(name);
  if (!bin) return [];
  return typeof bin === 'string' ? [name.split('/').pop() as string] : Object.keys(bin);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Why `name` is declared, or undefined when nothing uses it. */
function useOf(name: string, used: Set<string>): string | undefined {
  if (imports.has(name)) return `imported by ${imports.get(name)?.[0]}`;
  const bin = binsOf(name).find((command) => new RegExp(`(^|[\\s;&|(])${escape(command)}(\\s|$)`, 'm').test(scriptText));
  if (bin) return `its command \`${bin}\` is run by a script`;
  if (new RegExp(`['"]${escape(name)}['"]`).test(configText)) return 'named by a tool configuration';
  if (name.startsWith('@types/')) {
    const typed = name.slice('@types/'.length);
    if (typed === 'node' ? importsBuiltins : used.has(typed)) return `types of ${typed}`;
  }
  const peerOf = [...used].find((user) => {
    const { peerDependencies = {}, peerDependenciesMeta = {} } = manifestOf(user);
    return name in peerDependencies && !peerDependenciesMeta[name]?.optional;
  });
  return peerOf ? `a peer dependency of ${peerOf}` : undefined;
}

describe('dependencies', () => {
  it('declares every package the code imports', () => {
    const undeclared = [...imports.keys()].filter((name) => !declared.includes(name)).map((name) => `${name} (${imports.get(name)?.join(', ')})`);
    expect(undeclared).toEqual([]);
  });

  it('uses every package it declares', () => {
    const used = new Set<string>();
    // Peers and types count once what needs them is known to be used: repeat until nothing changes.
    for (let size = -1; size !== used.size;) {
      size = used.size;
      for (const name of declared) if (useOf(name, used)) used.add(name);
    }
    expect(declared.filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('the unit tier', () => {
  // Test helpers that reach Postgres, NATS, Temporal or the built service.
  const SERVICE_HELPERS = [
    'app',
    'build',
    'database',
    'global-setup',
    'loopback-namespace',
    'nats',
    'service-process',
    'spawn-harness',
    'standalone-spawner',
    'temporal-server',
  ];
  const SERVICE_PACKAGES = ['pg', '@nats-io/transport-node', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'];

  it.each(filesUnder(join('test', 'unit'), CODE))('%s reaches no service', (file) => {
    const reaching = specifiersOf(file).filter((specifier) => {
      if (isPackage(specifier)) return SERVICE_PACKAGES.includes(packageOf(specifier));
      const target = relative(ROOT, join(ROOT, dirname(file), specifier));
      return (
        SERVICE_HELPERS.some((helper) => target === join('test', 'support', helper)) ||
        target === join('src', 'app.factory') ||
        target === join('src', 'app.module')
      );
    });
    expect(reaching).toEqual([]);
  });
});
