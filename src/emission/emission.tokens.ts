export const SINK_SELECTOR = Symbol('SINK_SELECTOR');
