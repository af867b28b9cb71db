// Fallback when no OpenBao binary is available: the packed in-memory server, as a process.
import { VaultTestServer } from 'nestjs-vault-config-testing';
const server = await VaultTestServer.start({ rootToken: 'root', port: Number(process.argv[2]) });
console.log(`memory vault listening on ${server.url}`);
const stop = () => server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
