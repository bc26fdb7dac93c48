import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'activity-core:public';
/** Health, metrics and docs: reachable without API_TOKEN, for probes and scrapers. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
