import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Subscription } from 'rxjs';

/**
 * Listens to `ConfigService.changes$` (@nestjs/config 12): after a refresh that rotated a secret,
 * one event per changed key, the new value already readable through `get`. The events carry the
 * values (as @nestjs/config's own `set()` does): this listener logs key names only.
 */
@Injectable()
export class ConfigChangesListener implements OnModuleInit, OnModuleDestroy {
  readonly #logger = new Logger(ConfigChangesListener.name);
  #subscription: Subscription | undefined;

  constructor(private readonly config: ConfigService) {}

  onModuleInit(): void {
    this.#subscription = this.config.changes$.subscribe(({ path, newValue }) => {
      this.#logger.log(`${path} ${newValue === undefined ? 'removed' : 'changed'}`);
    });
  }

  onModuleDestroy(): void {
    this.#subscription?.unsubscribe();
  }
}
