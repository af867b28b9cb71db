export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const CLI_NAME = 'vault-config';
export const DEFAULT_MOUNT = 'secret';
export const DEFAULT_ENV_FILE = '.env';
