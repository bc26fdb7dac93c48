// Event rules by event type: an event costs only its candidate rules.
import type { ActivityDefinition } from './definition.types';

export class RuleIndex {
  private readonly byType = new Map<string, ActivityDefinition[]>();

  constructor(definitions: ActivityDefinition[]) {
    for (const definition of definitions) {
      if (definition.trigger.kind !== 'event') continue;
      const list = this.byType.get(definition.trigger.type) ?? [];
      list.push(definition);
      this.byType.set(definition.trigger.type, list);
    }
  }

  /** Every event rule for the type, enabled or not (explain shows the disabled ones too). */
  candidates(eventType: string): readonly ActivityDefinition[] {
    return this.byType.get(eventType) ?? [];
  }
}
