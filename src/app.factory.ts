// Builds the HTTP application the same way for main.ts and for the end-to-end tests.
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ValidationError } from 'class-validator';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ErrorBody } from './common/error-body';
import { bodyParserErrors, JSON_BODY_TYPES, markEmptyBody, requireJsonBodies } from './common/http-errors';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { HttpMetrics } from './metrics/http-metrics.service';
import { EVENTS_SCHEMAS } from './intake/events.schemas';
import { DEFINITIONS_SCHEMAS } from './rules/definitions.schemas';
import { SPAWN_LOG_SCHEMAS } from './spawn-log/spawn-log.schemas';
import type { ConfigType } from '@nestjs/config';
import { ConfigValues, eventsConfig, httpConfig } from './config/namespaces';

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? `${prefix}${message}` : `${path}: ${message}`));
    return [...own, ...flattenValidationErrors(error.children ?? [], `${path}.`)];
  });
}

export async function createApp(config: ConfigValues): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  const events = app.get<ConfigType<typeof eventsConfig>>(eventsConfig.KEY);
  const http = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  app.useLogger(app.get(Logger));
  app.use(app.get(HttpMetrics).middleware);
  app.use(requireJsonBodies);
  // strict: false, so that a JSON scalar is read and refused as "not an object", not as "not JSON".
  app.use(json({ limit: events.maxBytes, type: JSON_BODY_TYPES, strict: false, verify: markEmptyBody }));
  app.use(bodyParserErrors);
  app.useGlobalFilters(new HttpExceptionFilter(app.getHttpAdapter().getInstance()));
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => new BadRequestException(flattenValidationErrors(errors)),
    }),
  );
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('activity-core')
      .setDescription('Decides when a task is opened in issue-core, opens it once, and keeps the audit trail.')
      .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'API_TOKEN, an opaque token (compared as given)' })
      .build(),
    { extraModels: [ErrorBody] },
  );
  // The answers' schemas, referenced by name from the routes.
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...SPAWN_LOG_SCHEMAS, ...EVENTS_SCHEMAS, ...DEFINITIONS_SCHEMAS },
  };
  SwaggerModule.setup('docs', app, document);
  if (!http.apiToken) {
    app
      .get(Logger)
      .warn(
        'API_TOKEN is not set: the admin routes answer only loopback callers, and refuse requests carrying Forwarded, X-Forwarded-For or X-Real-IP (a local proxy or sidecar is not a loopback caller)',
      );
  }
  return app;
}
