const TLS_CODE = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME/;

/** A transport error code from the TLS handshake (untrusted CA, wrong host name, http vs https). */
export function isTlsErrorCode(code: string | undefined): boolean {
  return code !== undefined && TLS_CODE.test(code);
}
