// The environment a tool passes on to the processes it starts (the bench's service, dev server and
// workers need PATH, TEMPORAL_CLI and the like). The service itself reads its configuration only
// through @nestjs/config (config.ts); this is for harnesses that run it as a child process.
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
