import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';

export const SHUTDOWN_CALLBACK = 'DEMO:SHUTDOWN_CALLBACK';

/** Stops what main.ts started outside Nest (the embedded Vault) when the app shuts down. */
@Injectable()
export class ShutdownHook implements OnApplicationShutdown {
  constructor(@Inject(SHUTDOWN_CALLBACK) private readonly callback: () => Promise<void> | void) {}

  async onApplicationShutdown(): Promise<void> {
    await this.callback();
  }
}
