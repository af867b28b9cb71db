// customers.module.ts: the `email` column holds only `vault:v<N>:…`; Vault keeps the key.
import { Injectable, Logger, Module } from '@nestjs/common';
import { VaultConfigModule } from 'nestjs-vault-config';
import { TransitService } from 'nestjs-vault-config/transit';

/** A row as the database stores it. */
export interface CustomerRow {
  id: string;
  name: string;
  emailCiphertext: string;
}

/** The table: a Map here, your TypeORM / Prisma / Kysely repository in an app. */
@Injectable()
export class CustomerTable {
  readonly rows = new Map<string, CustomerRow>();
}

const KEY = 'customers'; // vault write transit/keys/customers derived=true

/** The row id is the key derivation context: a ciphertext copied into another row does not decrypt. */
const contextOf = (id: string) => `customer:${id}`;

@Injectable()
export class CustomersService {
  private readonly logger = new Logger(CustomersService.name);

  constructor(
    private readonly transit: TransitService,
    private readonly table: CustomerTable,
  ) {}

  /** Encrypts on write. */
  async create(id: string, name: string, email: string): Promise<void> {
    const emailCiphertext = await this.transit.encrypt(KEY, email, { context: contextOf(id) });
    this.table.rows.set(id, { id, name, emailCiphertext });
  }

  /** Decrypts on read; undefined when there is no such row. */
  async email(id: string): Promise<string | undefined> {
    const row = this.table.rows.get(id);
    if (!row) return undefined;
    const email = await this.transit.decrypt(KEY, row.emailCiphertext, { context: contextOf(id) });
    return email.toString('utf8');
  }

  /**
   * After `vault write -f transit/keys/customers/rotate`: re-encrypts every stored ciphertext with
   * the latest key version (one request per batch; the plaintexts never leave Vault). Answers how
   * many rows could not be rewrapped. Page through a large table instead of reading it at once.
   */
  async rewrapAll(): Promise<number> {
    const rows = [...this.table.rows.values()];
    const results = await this.transit.rewrapMany(
      KEY,
      rows.map(row => ({ ciphertext: row.emailCiphertext, context: contextOf(row.id) })),
    );
    let failed = 0;
    results.forEach((result, i) => {
      const row = rows[i];
      if (result.ok) {
        row.emailCiphertext = result.value;
      } else {
        failed += 1;
        this.logger.warn(`customer ${row.id}: ${result.error.message}`); // never a value
      }
    });
    return failed;
  }
}

@Module({
  imports: [
    VaultConfigModule.forRootAsync({
      // Read at boot. address: VAULT_ADDR; the AppRole's policy is customers-transit (above).
      useFactory: () => ({
        auth: {
          method: 'approle',
          roleId: process.env.VAULT_ROLE_ID ?? '',
          secretId: process.env.VAULT_SECRET_ID ?? '',
        },
        sources: [],
      }),
    }),
  ],
  providers: [TransitService, CustomerTable, CustomersService],
  exports: [CustomersService],
})
export class CustomersModule {}
