// API_TOKEN (SPEC §3): a bearer token on every route but health, metrics and docs, compared in
// constant time; with no token configured, only loopback callers are served, and a request that
// names a forwarding (Forwarded, X-Forwarded-For, X-Real-IP) came through a local proxy or
// sidecar for someone else: it is not a loopback caller.
import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ConfigType } from '@nestjs/config';
import { httpConfig } from '../config/namespaces';
import { IS_PUBLIC } from './public.decorator';

/** Headers a reverse proxy or sidecar adds: their presence means the caller is not on this host. */
export const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

const digest = (text: string) => createHash('sha256').update(text).digest();

export function tokensMatch(given: string, expected: string): boolean {
  // Equal-length digests, so the comparison time says nothing about the token.
  return timingSafeEqual(digest(given), digest(expected));
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly expected?: string;

  constructor(
    private readonly reflector: Reflector,
    @Inject(httpConfig.KEY) http: ConfigType<typeof httpConfig>,
  ) {
    this.expected = http.apiToken;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.expected) {
      const forwarded = FORWARDING_HEADERS.filter((name) => request.headers[name] !== undefined);
      if (forwarded.length > 0) {
        throw new ForbiddenException(`API_TOKEN is not set: a request forwarded by a proxy (${forwarded.join(', ')}) is not a loopback caller`);
      }
      if (isLoopback(request.socket.remoteAddress)) return true;
      throw new ForbiddenException('API_TOKEN is not set: this route answers only loopback callers');
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match || !tokensMatch(match[1], this.expected)) {
      throw new UnauthorizedException('a valid bearer token is required (Authorization: Bearer <API_TOKEN>)');
    }
    return true;
  }
}
