// The spawn side of the service without its HTTP app: records and requests decisions from a test.
import { DataSource } from 'typeorm';
import type { ConfigValues } from '../../src/config/namespaces';
import { SpawnService } from '../../src/spawn/spawn.service';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { SpawnRecoveryRepository } from '../../src/spawn-log/spawn-recovery.repository';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';

export interface StandaloneSpawner {
  spawnLog: SpawnLogRepository;
  spawns: SpawnService;
  temporal: TemporalClientService;
  close(): Promise<void>;
}

export async function standaloneSpawner(config: ConfigValues, dataSource: DataSource): Promise<StandaloneSpawner> {
  const temporal = new TemporalClientService(config.temporal);
  temporal.connect();
  await temporal.whenConnected();
  const spawnLog = new SpawnLogRepository(dataSource);
  return {
    spawnLog,
    spawns: new SpawnService(temporal, spawnLog, config.temporal, new SpawnRecoveryRepository(dataSource)),
    temporal,
    close: () => temporal.onApplicationShutdown(),
  };
}
