// People in a classroom request: email addresses, names and students, safe to put in a header.
import * as z from 'zod';

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`);

const hasControlCharacter = (text: string) =>
  [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });

/**
 * A dot-atom address (`name@example.org`): the RFC 5322 subset mail systems agree on. No spaces,
 * quotes or comments, and never CR/LF, so an address can go into a header without injecting one.
 */
export const EmailAddressSchema = z
  .string()
  .refine((text) => !/[\r\n]/.test(text), { message: 'must not contain line breaks', abort: true })
  .refine((text) => text.length <= 254 && text.indexOf('@') <= 64 && EMAIL.test(text), {
    message: 'must be an email address such as name@example.org',
  });

/** Bidi embeddings, overrides and isolates: they reorder what follows them on screen. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * Any script is welcome (it is escaped where rendered); control characters, line and paragraph
 * separators, bidi overrides (a name that displays as another) and lone surrogates are not.
 */
export const PersonNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((text) => [...text].length <= 100, 'must be at most 100 characters')
  .refine(
    (text) => !hasControlCharacter(text) && !/[\u2028\u2029]/.test(text),
    'must not contain control characters',
  )
  .refine((text) => !BIDI_CONTROL.test(text), 'must not contain bidi override characters')
  .refine((text) => text.isWellFormed(), 'must be valid Unicode (it holds a lone surrogate)');

export const StudentSchema = z.strictObject({ name: PersonNameSchema, email: EmailAddressSchema });
export type Student = z.infer<typeof StudentSchema>;
