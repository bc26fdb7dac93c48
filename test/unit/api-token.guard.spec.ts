// The API_TOKEN guard on a bare controller: the config module swapped for the test's own values,
// requests over loopback with supertest. No database, no Temporal.
import { Controller, Get, INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ApiTokenGuard } from '../../src/common/api-token.guard';
import { Public } from '../../src/common/public.decorator';
import { ConfigModule } from '@nestjs/config';
import { configModuleOptions } from '../../src/config/config';
import { httpConfig } from '../../src/config/namespaces';
import { testConfig } from '../factories/config';

@Controller('probe')
class ProbeController {
  @Get('admin')
  admin() {
    return { route: 'admin' };
  }

  @Public()
  @Get('health')
  health() {
    return { route: 'health' };
  }
}

async function appWith(env: Record<string, string>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(configModuleOptions(testConfig()))],
    controllers: [ProbeController],
    providers: [{ provide: APP_GUARD, useClass: ApiTokenGuard }],
  })
    .overrideProvider(httpConfig.KEY)
    .useValue(testConfig(env).http)
    .compile();
  return moduleRef.createNestApplication({ logger: false }).init();
}

describe('API_TOKEN guard', () => {
  describe('with API_TOKEN set', () => {
    let sut: INestApplication;
    beforeAll(async () => {
      sut = await appWith({ API_TOKEN: 'admin-secret' });
    });
    afterAll(() => sut.close());

    it.each([
      ['no Authorization header', undefined],
      ['a wrong token', 'Bearer admin-secreT'],
      ['the token without the Bearer scheme', 'admin-secret'],
      ['another scheme', 'Basic YWRtaW4tc2VjcmV0'],
    ])('answers 401 to %s', async (_what, authorization) => {
      const answer = await request(sut.getHttpServer())
        .get('/probe/admin')
        .set(authorization ? { authorization } : {});
      expect(answer.status).toBe(401);
      expect(answer.body.message).toBe('a valid bearer token is required (Authorization: Bearer <API_TOKEN>)');
    });

    it.each([['Bearer admin-secret'], ['bearer admin-secret']])('serves %j', async (authorization) => {
      const answer = await request(sut.getHttpServer()).get('/probe/admin').set('authorization', authorization);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ route: 'admin' });
    });

    it('keeps a public route open without the token', async () => {
      const answer = await request(sut.getHttpServer()).get('/probe/health');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ route: 'health' });
    });
  });

  describe('without API_TOKEN', () => {
    let sut: INestApplication;
    beforeAll(async () => {
      sut = await appWith({});
    });
    afterAll(() => sut.close());

    it('serves a loopback caller', async () => {
      const answer = await request(sut.getHttpServer()).get('/probe/admin');
      expect(answer.status).toBe(200);
    });

    it.each([
      ['forwarded', 'for=203.0.113.7'],
      ['x-forwarded-for', '203.0.113.7'],
      ['x-real-ip', '203.0.113.7'],
    ])('refuses a loopback request carrying %s: a local proxy forwarded it', async (header, value) => {
      const answer = await request(sut.getHttpServer()).get('/probe/admin').set(header, value);
      expect(answer.status).toBe(403);
      expect(answer.body.message).toBe(`API_TOKEN is not set: a request forwarded by a proxy (${header}) is not a loopback caller`);
    });

    it('keeps a public route open to a forwarded request', async () => {
      const answer = await request(sut.getHttpServer()).get('/probe/health').set('x-forwarded-for', '203.0.113.7');
      expect(answer.status).toBe(200);
    });
  });
});
