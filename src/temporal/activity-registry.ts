// Finds every `@Activities()` provider and registers its `@Activity('name')` methods under the
// explicit name; two methods claiming one name refuse to start (a library keyed by method name
// would let one win silently).
import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Activities, Activity } from './activity.decorators';

export type ActivityFunction = (...args: never[]) => Promise<unknown>;

export class DuplicateActivityError extends Error {
  readonly code = 'DUPLICATE_ACTIVITY';
}

@Injectable()
export class ActivityRegistry {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** name → bound method; two methods claiming one name refuse to start. */
  collect(): Record<string, ActivityFunction> {
    const activities: Record<string, ActivityFunction> = {};
    const owners: Record<string, string> = {};
    for (const wrapper of this.discovery.getProviders({ metadataKey: Activities.KEY })) {
      const metatype = wrapper.metatype;
      const instance: unknown = wrapper.instance;
      if (!metatype) continue;
      // Checked first: a request-scoped provider has no instance to bind, and must not be skipped silently.
      if (!wrapper.isDependencyTreeStatic()) {
        throw new DuplicateActivityError(`${metatype.name}: activity providers must be singletons, not request-scoped`);
      }
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const named = this.discovery.getMetadataByDecorator(Activity, wrapper, method);
        if (named === undefined) continue;
        // `@Activity()` without a name (metadata `{}`) keeps the method's name.
        const name = typeof named === 'string' ? named : method;
        const owner = `${metatype.name}.${method}`;
        if (activities[name]) {
          throw new DuplicateActivityError(`activity '${name}' is claimed by both ${owners[name]} and ${owner}`);
        }
        const handler = prototype[method];
        if (typeof handler !== 'function') continue;
        activities[name] = handler.bind(instance) as ActivityFunction;
        owners[name] = owner;
      }
    }
    return activities;
  }
}
