// Counts the gRPC calls a Connection has in flight (retries included), so it is closed only once
// they have settled: grpc-js ends calls cut by close() as UNAVAILABLE, the retry interceptor then
// retries them on the closed channel, and that throws from a timer.
import { InterceptingCall, Interceptor, ListenerBuilder, RequesterBuilder } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { sleep } from '../common/backoff';

export class InFlightCalls {
  private count = 0;

  /** The interceptors for a Connection: this counter outermost, then Temporal's default retries. */
  interceptors(): Interceptor[] {
    const counter: Interceptor = (options, nextCall) => {
      const requester = new RequesterBuilder()
        .withStart((metadata, _listener, next) => {
          this.count++;
          let settled = false;
          const listener = new ListenerBuilder()
            .withOnReceiveStatus((status, forward) => {
              if (!settled) {
                settled = true;
                this.count--;
              }
              forward(status);
            })
            .build();
          next(metadata, listener);
        })
        .build();
      return new InterceptingCall(nextCall(options), requester);
    };
    return [counter, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())];
  }

  get pending(): number {
    return this.count;
  }

  /** Waits until no call is in flight, or `timeoutMs` has passed. */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count > 0 && Date.now() < deadline) await sleep(20);
  }
}
