// The durable JetStream consumer's lag, read from the server at scrape time.
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { timeBox } from '../common/time-box';
import { MetricsService } from '../metrics/metrics.service';
import { sharedPerScrape } from '../metrics/shared-per-scrape';
import { JetStreamConsumer } from './jetstream.consumer';

const LAG_BUDGET_MS = 2_000;

/** Read from the server at scrape time: every replica shares the consumer, so alert on max(). */
@Injectable()
export class JetStreamLagMetrics {
  constructor(metrics: MetricsService, consumer: JetStreamConsumer) {
    const registers = [metrics.registry];
    const lag = sharedPerScrape(() => timeBox(consumer.consumerLag(), LAG_BUDGET_MS, 'JetStream consumer info').catch(() => undefined));
    const lagGauge = (name: string, help: string, pick: (l: { pending: number; ackPending: number }) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          if (!consumer.enabled) return;
          const value = await lag();
          if (value) this.set(pick(value));
        },
      });
    lagGauge(
      'activity_core_jetstream_consumer_pending_messages',
      'Messages in the stream not yet delivered to the durable consumer (its lag)',
      (l) => l.pending,
    );
    lagGauge(
      'activity_core_jetstream_consumer_ack_pending_messages',
      'Messages delivered to the durable consumer and not yet acknowledged',
      (l) => l.ackPending,
    );
  }
}
