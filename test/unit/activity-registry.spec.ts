// Which methods the worker registers, under which names: @Activities() providers in a Nest
// testing module, no Temporal.
import { Injectable, Scope } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Activities, Activity } from '../../src/temporal/activity.decorators';
import { ActivityRegistry, DuplicateActivityError } from '../../src/temporal/activity-registry';

@Injectable()
@Activities()
class EmitActivities {
  readonly sink = 'null';

  @Activity('emit_tasks')
  async emitTasks() {
    return `emitted through ${this.sink}`;
  }

  @Activity()
  async unnamed() {
    return 'unnamed';
  }

  async helper() {
    return 'not an activity';
  }
}

@Injectable()
@Activities()
class OtherActivities {
  @Activity('emit_tasks')
  async emitAgain() {
    return 'second';
  }
}

@Injectable()
class UnmarkedProvider {
  @Activity('stray')
  async stray() {
    return 'stray';
  }
}

@Injectable({ scope: Scope.REQUEST })
@Activities()
class PerRequestActivities {
  @Activity('per_request')
  async perRequest() {
    return 'per request';
  }
}

async function collectFrom(...providers: Array<new (...args: never[]) => object>) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [ActivityRegistry, ...providers] }).compile();
  return moduleRef.get(ActivityRegistry).collect();
}

describe('ActivityRegistry', () => {
  it('registers the marked methods of @Activities() providers under their explicit names, bound to the instance', async () => {
    const sut = await collectFrom(EmitActivities, UnmarkedProvider);
    expect(Object.keys(sut).sort()).toEqual(['emit_tasks', 'unnamed']);
    await expect(sut.emit_tasks()).resolves.toBe('emitted through null');
  });

  it('refuses two methods claiming one name, naming both', async () => {
    await expect(collectFrom(EmitActivities, OtherActivities)).rejects.toThrow(
      new DuplicateActivityError("activity 'emit_tasks' is claimed by both EmitActivities.emitTasks and OtherActivities.emitAgain"),
    );
  });

  it('refuses a request-scoped activity provider instead of skipping it', async () => {
    await expect(collectFrom(PerRequestActivities)).rejects.toThrow('PerRequestActivities: activity providers must be singletons, not request-scoped');
  });
});
