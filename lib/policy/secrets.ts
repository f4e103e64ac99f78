// What "looks like a secret" for P4 rules: names and values. Values are never copied into messages.

const SECRET_NAME =
  /(?:^|[_.-])(?:pass(?:word|wd|phrase)?|pwd|secret|secrets|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|secret[_-]?key|ssh[_-]?key|client[_-]?secret|credentials?|auth|encryption[_-]?key|signing[_-]?key|master[_-]?key|dsn)(?:$|[_.-])/i;
const NOT_SECRET_SUFFIX =
  /[_.-](?:file|files|path|dir|name|length|ttl|expiry|expires|timeout|header|enabled|url|uri|endpoint|host|port|type|mode|version|algorithm|alg|issuer|audience|provider|env|var|id)$/i;

/** Does an ARG/ENV/environment name look like it holds a secret? (`*_FILE`, `*_PATH`… are references, not secrets) */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_SUFFIX.test(name);
}

const SECRET_VALUES: RegExp[] = [
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bsk_live_[A-Za-z0-9]{16,}/, // Stripe
  /\bnpm_[A-Za-z0-9]{36}\b/, // npm
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/$]+:[^\s@/$]+@/i, // URL with user:password@
];

/**
 * SECRET_VALUES as one alternation, tested once instead of ten times (a value matches it exactly
 * when it matches one of them: each alternative is tried at every position). The URL pattern's
 * `/i` is spelled out as `[a-zA-Z]` (its other parts have no letters); a test checks the two agree.
 */
const ANY_SECRET_VALUE = new RegExp(
  SECRET_VALUES.map((r) => (r.flags.includes('i') ? r.source.replace(/\[a-z/g, '[a-zA-Z') : r.source)).join('|'),
);

/** Does a value itself look like a credential (token formats, private keys, URLs with a password)? */
export function isSecretValue(value: string): boolean {
  return ANY_SECRET_VALUE.test(value);
}

/** isSecretValue as it was written: each pattern on its own (tests compare the two). */
export function isSecretValueEach(value: string): boolean {
  return SECRET_VALUES.some((r) => r.test(value));
}

/** A value that only refers to something else (interpolation, a secrets path) rather than holding a secret. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return v === '' || /^\$\{?[A-Za-z_][A-Za-z0-9_]*(?:[:?-][^}]*)?\}?$/.test(v) || v.startsWith('/run/secrets/');
}
