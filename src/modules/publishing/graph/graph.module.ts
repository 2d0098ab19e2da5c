import { Module } from '@nestjs/common';
import { GraphApiClient } from './graph-api.client';
import { GraphApi } from './graph-api.port';
import { PageTokenCipher } from './page-token.cipher';

/**
 * The Graph API adapter and the Page token cipher. Inject `GraphApi` (the port), never the client.
 * Needs only the global config module.
 */
@Module({
  providers: [{ provide: GraphApi, useClass: GraphApiClient }, PageTokenCipher],
  exports: [GraphApi, PageTokenCipher],
})
export class GraphModule {}
