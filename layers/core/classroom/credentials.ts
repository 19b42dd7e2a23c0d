// Seat credentials: generated, hashed for the seat, and read back from their stored form.
/**
 * Seat credentials. A seat has a password (typed into Jupyter's login page) and a token (for the
 * API). Their plaintext goes to the student and the instructor only; the seat itself receives the
 * password's argon2 hash and the token's SHA-256, so nothing readable on a seat, where students
 * have a terminal, unlocks it or any other seat.
 */
import { createHash } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import * as z from 'zod';

export type RandomBytes = (n: number) => Uint8Array;

/** Lowercase letters and digits without the look-alikes 0/o, 1/l (and so also O, I). */
export const PASSWORD_ALPHABET = '23456789abcdefghijkmnpqrstuvwxyz';
const PASSWORD_GROUPS = 4;
const PASSWORD_GROUP_LENGTH = 4;
/** 16 symbols from 32 carry 80 bits; the dashes only help people read the password aloud. */
export const PASSWORD_ENTROPY_BITS =
  PASSWORD_GROUPS * PASSWORD_GROUP_LENGTH * Math.log2(PASSWORD_ALPHABET.length);

const TOKEN_BYTES = 32;

/**
 * A light argon2id cost, on purpose. Key stretching protects low-entropy, human-chosen passwords;
 * seat passwords are random with 80 bits, which no offline guessing exhausts (2^80 guesses at a
 * billion a second is 38 million years), whatever the cost. What the cost does decide is how long
 * a classroom takes to seat: OWASP's 19 MiB × 2 takes ~90 ms a hash in WASM (a minute and a
 * half of CPU for 1000 seats, and as much again for the readiness checks); 4 MiB × 1 takes ~10 ms.
 * Jupyter verifies any argon2id cost: the parameters travel in the hash.
 */
export const PASSWORD_HASH_COST = { memorySize: 4096, iterations: 1, parallelism: 1 } as const;
const HASH_LENGTH = 32;
export const SALT_BYTES = 16;

const base64 = '[A-Za-z0-9+/]';

/**
 * Jupyter's password format: `argon2:` followed by argon2-cffi's PHC string (unpadded base64).
 * Only argon2id is produced or accepted. The character set excludes quotes, backslashes and
 * whitespace, so a valid hash is safe to embed in shell and Python string literals.
 */
export const PasswordHash = z
  .string()
  .regex(
    new RegExp(
      `^argon2:\\$argon2id\\$v=19\\$m=\\d{1,7},t=\\d{1,3},p=\\d{1,3}\\$${base64}{11,64}\\$${base64}{22,128}$`,
    ),
    'must be a Jupyter argon2id hash (argon2:$argon2id$v=19$m=…,t=…,p=…$salt$hash)',
  );
export type PasswordHash = z.infer<typeof PasswordHash>;

/** SHA-256 of a seat token, lowercase hex. */
export const TokenDigest = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in lowercase hex (64 characters)');
export type TokenDigest = z.infer<typeof TokenDigest>;

export interface Credential {
  password: string;
  token: string;
}

/**
 * A fresh password and token for one seat. `randomBytes` is `crypto.randomBytes` in production and
 * a scripted source in tests.
 */
export function generateCredential(randomBytes: RandomBytes): Credential {
  const symbols = sampleUniform(
    PASSWORD_ALPHABET,
    PASSWORD_GROUPS * PASSWORD_GROUP_LENGTH,
    randomBytes,
  );
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += PASSWORD_GROUP_LENGTH) {
    groups.push(symbols.slice(i, i + PASSWORD_GROUP_LENGTH));
  }
  const token = Buffer.from(takeBytes(randomBytes, TOKEN_BYTES)).toString('base64url');
  return { password: groups.join('-'), token };
}

/**
 * `length` symbols drawn uniformly from `alphabet` by rejection sampling: a byte is used only
 * if it falls below the largest multiple of the alphabet size, so no symbol is favoured.
 */
export function sampleUniform(alphabet: string, length: number, randomBytes: RandomBytes): string {
  if (alphabet.length < 2 || alphabet.length > 256) {
    throw new RangeError('alphabet must have 2 to 256 symbols');
  }
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of takeBytes(randomBytes, length - out.length)) {
      if (byte < limit && out.length < length) out += alphabet.charAt(byte % alphabet.length);
    }
  }
  return out;
}

function takeBytes(randomBytes: RandomBytes, n: number): Uint8Array {
  const bytes = randomBytes(n);
  if (bytes.length !== n)
    throw new RangeError(`random source returned ${bytes.length} of ${n} bytes`);
  return bytes;
}

/** The password in Jupyter's `argon2:` format, for `c.NotebookApp.password` and its successors. */
export async function hashPassword(password: string, salt: Uint8Array): Promise<PasswordHash> {
  if (salt.length < SALT_BYTES) throw new RangeError(`salt must have at least ${SALT_BYTES} bytes`);
  const encoded = await argon2id({
    password,
    salt,
    ...PASSWORD_HASH_COST,
    hashLength: HASH_LENGTH,
    outputType: 'encoded',
  });
  return `argon2:${encoded}`;
}

/**
 * A seat's password hash, the same every time for one password: its salt is derived from the
 * password (unique as the password is). A retried launch thus sends the same user data, which
 * EC2's ClientToken requires of a repeated RunInstances.
 */
export const seatPasswordHash = (password: string) =>
  hashPassword(
    password,
    new Uint8Array(createHash('sha256').update(`bakehouse-seat-salt\0${password}`).digest()).slice(
      0,
      SALT_BYTES,
    ),
  );

export function tokenDigest(token: string): TokenDigest {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A seat's credential as kept in Parameter Store: a SecureString holding this JSON. */
export const StoredCredentialSchema = z.object({
  password: z.string().min(1),
  token: z.string().min(1),
});
export type StoredCredential = z.infer<typeof StoredCredentialSchema>;

/** The stored credential, or undefined when there is none or it is not ours. */
export function readCredential(stored: string | undefined): StoredCredential | undefined {
  if (!stored) return undefined;
  try {
    return StoredCredentialSchema.parse(JSON.parse(stored));
  } catch {
    return undefined;
  }
}
