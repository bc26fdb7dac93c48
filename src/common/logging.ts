// JSON logs through pino; credentials are redacted before anything is written.
import type { Params } from 'nestjs-pino';
import type { ConfigType } from '@nestjs/config';
import type { loggingConfig } from '../config/namespaces';
import { redactText } from './redact';

/** Every line, whoever wrote it (an error's message or stack included), is redacted on its way out. */
function redactingStdout(secrets: readonly string[]) {
  return { write: (line: string) => process.stdout.write(redactText(line, secrets)) };
}

export function loggerParams(logging: ConfigType<typeof loggingConfig>): Params {
  return {
    pinoHttp: [
      {
        level: logging.level,
        redact: {
          paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          censor: '[redacted]',
        },
        autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
        quietReqLogger: true,
      },
      redactingStdout(logging.secrets),
    ],
  };
}
