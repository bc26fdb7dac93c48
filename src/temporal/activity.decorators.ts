// The marks an activity provider carries: `@Activities()` on the class, `@Activity('name')` on each
// method Temporal runs. The names and shapes are nestjs-temporal's, so activity classes read as its
// documentation shows; they are Nest's own discoverable decorators, which ActivityRegistry reads
// through DiscoveryService (nestjs-temporal has no public reader for its metadata).
import { DiscoveryService } from '@nestjs/core';

/** Marks a provider whose `@Activity` methods the worker registers. */
export const Activities = DiscoveryService.createDecorator<void>();

/** Registers the method as a Temporal activity under `name` (ACTIVITY in activity-contracts.ts). */
export const Activity = DiscoveryService.createDecorator<string>();
