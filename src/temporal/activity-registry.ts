// Finds every `@Activities()` provider and registers its `@Activity('name')` methods under the
// explicit name (nestjs-temporal's decorators and metadata; its explorer keys by method name).
import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { TemporalMetadataAccessor } from 'nestjs-temporal/dist/temporal-metadata.accessors';

export type ActivityFunction = (...args: never[]) => Promise<unknown>;

export class DuplicateActivityError extends Error {
  readonly code = 'DUPLICATE_ACTIVITY';
}

@Injectable()
export class ActivityRegistry {
  private readonly metadata: TemporalMetadataAccessor;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    reflector: Reflector,
  ) {
    this.metadata = new TemporalMetadataAccessor(reflector);
  }

  /** name → bound method; two methods claiming one name refuse to start. */
  collect(): Record<string, ActivityFunction> {
    const activities: Record<string, ActivityFunction> = {};
    const owners: Record<string, string> = {};
    for (const wrapper of this.discovery.getProviders()) {
      const { metatype } = wrapper;
      const instance: unknown = wrapper.instance;
      if (!instance || !metatype || !this.metadata.isActivities(metatype)) continue;
      if (!wrapper.isDependencyTreeStatic()) {
        throw new DuplicateActivityError(`${metatype.name}: activity providers must be singletons, not request-scoped`);
      }
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method];
        if (typeof handler !== 'function' || !this.metadata.isActivity(handler)) continue;
        const name = (this.metadata.getActivity(handler) as { name?: string } | undefined)?.name ?? method;
        const owner = `${metatype.name}.${method}`;
        if (activities[name]) {
          throw new DuplicateActivityError(`activity '${name}' is claimed by both ${owners[name]} and ${owner}`);
        }
        activities[name] = handler.bind(instance) as ActivityFunction;
        owners[name] = owner;
      }
    }
    return activities;
  }
}
