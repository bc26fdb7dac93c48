// The program introduces itself as `activity-core` (help, usage errors) whichever file runs it:
// commander would otherwise name it after the script, `cli`.
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

export const PROGRAM_NAME = 'activity-core';

@Injectable()
export class ProgramName implements OnModuleInit {
  constructor(@InjectCommander() private readonly program: { name(name: string): unknown }) {}

  /** Before the arguments are parsed: commander only guesses a name when it has none. */
  onModuleInit(): void {
    this.program.name(PROGRAM_NAME);
  }
}
