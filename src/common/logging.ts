// JSON logs through pino; credentials are redacted before anything is written.
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
      quietReqLogger: true,
    },
  };
}
