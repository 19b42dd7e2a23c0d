import { randomBytes } from 'node:crypto';
import { argon2Verify } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import {
  generateCredential,
  hashPassword,
  PASSWORD_ALPHABET,
  PASSWORD_ENTROPY_BITS,
  PasswordHash,
  readCredential,
  sampleUniform,
  TokenDigest,
  tokenDigest,
} from '../../../layers/core/classroom/credentials';

const secureRandom = (n: number) => new Uint8Array(randomBytes(n));

/** A random source that replays `bytes` and fails loudly when they run out. */
function scripted(bytes: number[]) {
  let next = 0;
  return (n: number) => {
    if (next + n > bytes.length) throw new Error('scripted randomness exhausted');
    const out = Uint8Array.from(bytes.slice(next, next + n));
    next += n;
    return out;
  };
}

describe('generateCredential', () => {
  it('gives 1000 seats distinct, readable passwords and distinct tokens', () => {
    // Act
    const credentials = Array.from({ length: 1000 }, () => generateCredential(secureRandom));

    // Assess
    const symbol = `[${PASSWORD_ALPHABET}]`;
    const shape = new RegExp(`^${symbol}{4}-${symbol}{4}-${symbol}{4}-${symbol}{4}$`);
    for (const { password, token } of credentials) {
      expect(password).toMatch(shape);
      expect(password).not.toMatch(/[01lIoO]/);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(credentials.map((c) => c.password)).size).toBe(1000);
    expect(new Set(credentials.map((c) => c.token)).size).toBe(1000);
  });

  it('uses every symbol of the alphabet', () => {
    // Act
    const used = new Set(
      Array.from({ length: 1000 }, () =>
        generateCredential(secureRandom).password.replaceAll('-', ''),
      )
        .join('')
        .split(''),
    );

    // Assess
    expect([...used].sort().join('')).toBe([...PASSWORD_ALPHABET].sort().join(''));
  });

  it('carries at least 80 bits in a password of at least 14 characters', () => {
    // Act
    const { password } = generateCredential(secureRandom);

    // Assess
    expect(PASSWORD_ENTROPY_BITS).toBeGreaterThanOrEqual(80);
    expect(password.length).toBeGreaterThanOrEqual(14);
  });

  it('is a pure function of the random source', () => {
    // Prepare
    const bytes = Array.from({ length: 48 }, (_, i) => (i * 37) % 256);

    // Act
    const first = generateCredential(scripted(bytes));
    const second = generateCredential(scripted(bytes));

    // Assess
    expect(first).toEqual(second);
    expect(first.token).toBe(Buffer.from(bytes.slice(16, 48)).toString('base64url'));
  });

  it('refuses a random source that returns fewer bytes than asked', () => {
    // Prepare
    const short = (n: number) => new Uint8Array(n - 1);

    // Act
    const generate = () => generateCredential(short);

    // Assess
    expect(generate).toThrow(RangeError);
  });
});

describe('sampleUniform', () => {
  it('rejects bytes at or above the largest multiple of the alphabet size', () => {
    // Prepare: 3 symbols → bytes 0..254 are usable, 255 would favour the first symbol.
    const bytes = [255, 0, 255, 254, 1];

    // Act
    const sample = sampleUniform('abc', 3, scripted(bytes));

    // Assess
    expect(sample).toBe('acb');
  });

  it('draws more bytes until enough survive rejection', () => {
    // Prepare
    const bytes = [255, 255, 255, 7, 8, 9];

    // Act
    const sample = sampleUniform('abc', 3, scripted(bytes));

    // Assess
    expect(sample).toBe('bca');
  });

  it('refuses alphabets it cannot sample from a byte', () => {
    // Act
    const tooSmall = () => sampleUniform('a', 4, secureRandom);
    const tooLarge = () => sampleUniform('x'.repeat(257), 4, secureRandom);

    // Assess
    expect(tooSmall).toThrow(RangeError);
    expect(tooLarge).toThrow(RangeError);
  });
});

describe('hashPassword', () => {
  const salt = Uint8Array.from({ length: 16 }, (_, i) => i);

  it("writes Jupyter's argon2 format with the chosen cost and the given salt", async () => {
    // Act
    const hash = await hashPassword('abcd-efgh-jkmn-pqrs', salt);

    // Assess
    expect(PasswordHash.safeParse(hash).success).toBe(true);
    const [, , version, cost, encodedSalt] = hash.split('$');
    expect(version).toBe('v=19');
    expect(cost).toBe('m=4096,t=1,p=1');
    expect(encodedSalt).toBe(Buffer.from(salt).toString('base64').replace(/=+$/, ''));
  });

  it('verifies as argon2id for the password and for no other', async () => {
    // Prepare
    const hash = await hashPassword('abcd-efgh-jkmn-pqrs', salt);
    const phc = hash.slice('argon2:'.length);

    // Act
    const right = await argon2Verify({ password: 'abcd-efgh-jkmn-pqrs', hash: phc });
    const wrong = await argon2Verify({ password: 'abcd-efgh-jkmn-pqrt', hash: phc });

    // Assess
    expect(right).toBe(true);
    expect(wrong).toBe(false);
  });

  it('depends on the salt', async () => {
    // Act
    const a = await hashPassword('same', salt);
    const b = await hashPassword(
      'same',
      salt.map((byte) => byte + 1),
    );

    // Assess
    expect(a).not.toBe(b);
  });

  it('refuses a salt shorter than 16 bytes', async () => {
    // Act
    const hashing = hashPassword('pw', new Uint8Array(8));

    // Assess
    await expect(hashing).rejects.toThrow(RangeError);
  });
});

describe('tokenDigest', () => {
  it('is the SHA-256 of the token in lowercase hex', () => {
    // Act
    const digest = tokenDigest('abc');

    // Assess
    expect(digest).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(TokenDigest.safeParse(digest).success).toBe(true);
  });
});

describe('PasswordHash and TokenDigest schemas', () => {
  const valid =
    'argon2:$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$K5kb+OmnXihtmad5eAxZxdDv+TrQ46PCRQpgWnEKfFE';

  it.each([
    ['another algorithm', 'sha1:0123:abcdef'],
    ['argon2i instead of argon2id', valid.replace('argon2id', 'argon2i')],
    ['a missing prefix', valid.slice('argon2:'.length)],
    ['a quote that would end a shell word', `${valid}'; reboot; '`],
    ['a newline', `${valid}\nreboot`],
    ['a command substitution', valid.replace('K5kb', '$(reboot)')],
  ])('rejects a password hash with %s', (_, hash) => {
    // Act
    const result = PasswordHash.safeParse(hash);

    // Assess
    expect(result.success).toBe(false);
  });

  it.each([
    ['upper case', 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD'],
    ['63 characters', 'a'.repeat(63)],
    ['a quote', `${'a'.repeat(63)}'`],
  ])('rejects a token digest in %s', (_, digest) => {
    // Act
    const result = TokenDigest.safeParse(digest);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('readCredential', () => {
  it('reads a stored credential', () => {
    expect(readCredential('{"password":"p","token":"t"}')).toEqual({ password: 'p', token: 't' });
  });

  it.each([undefined, '', 'not json', '{"password":"p"}', 'null'])('refuses %j', (stored) => {
    expect(readCredential(stored)).toBeUndefined();
  });
});
