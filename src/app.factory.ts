// Builds the HTTP application the same way for main.ts and for the end-to-end tests.
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ValidationError } from 'class-validator';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { bodyParserErrors } from './common/http-errors';
import { APP_CONFIG, AppConfig } from './config/app-config';

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${prefix}${message}` : `${path}: ${message}`,
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], `${path}.`)];
  });
}

export async function createApp(config?: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  const resolved = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.use(json({ limit: resolved.eventMaxBytes, type: ['application/json', 'application/cloudevents+json'] }));
  app.use(bodyParserErrors);
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
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  if (!resolved.apiToken) {
    app.get(Logger).warn('API_TOKEN is not set: the admin routes answer only loopback callers, and refuse requests carrying Forwarded, X-Forwarded-For or X-Real-IP (a local proxy or sidecar is not a loopback caller)');
  }
  return app;
}
