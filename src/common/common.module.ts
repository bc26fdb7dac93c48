import { Global, Module } from '@nestjs/common';
import { ProcessLifecycle } from './process-lifecycle';

@Global()
@Module({ providers: [ProcessLifecycle], exports: [ProcessLifecycle] })
export class CommonModule {}
