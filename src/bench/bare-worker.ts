// Child process of the bench: a bare Temporal worker (the SDK's defaults, as the service's worker
// has) running bareWorkflow. Each no-op activity tells the parent when it ran, over IPC.
// argv: <temporal address> <task queue> <workflow bundle>  (bundled by the parent, as the service's
// worker loads the bundle `npm run build` made: neither pays for webpack in its own memory)
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const [address, taskQueue, bundlePath] = process.argv.slice(2);
  Runtime.install({ shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: bundlePath },
    activities: {
      noop: async (id: string) => {
        process.send?.({ done: id, at: Date.now() });
      },
    },
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.send?.({ ready: true });
  await worker.run();
  await connection.close();
}

main().catch((error: Error) => {
  process.stderr.write(`bare worker failed: ${error.stack}\n`);
  process.exit(1);
});
