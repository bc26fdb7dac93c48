// A definitions folder of the test's own, seeded from the shipped definitions/.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHIPPED_DEFINITIONS = join(__dirname, '..', '..', 'definitions');

export class DefinitionsDir {
  readonly path = mkdtempSync(join(tmpdir(), 'ac-definitions-'));

  withShipped(name: string): this {
    copyFileSync(join(SHIPPED_DEFINITIONS, name), join(this.path, name));
    return this;
  }

  write(name: string, yaml: string): this {
    writeFileSync(join(this.path, name), yaml);
    return this;
  }

  edit(name: string, change: (yaml: string) => string): this {
    return this.write(name, change(readFileSync(join(this.path, name), 'utf8')));
  }

  remove(name: string): this {
    rmSync(join(this.path, name));
    return this;
  }

  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
