import { z } from 'zod';

/**
 * A UTF-16 surrogate that is not half of a pair: no character at all, and no font can draw it.
 * With the `u` flag a proper pair is one code point, so only a lone half can match.
 */
const loneSurrogate = /[\uD800-\uDFFF]/u;
/** Control characters; line breaks and tabs are allowed where the text may have several lines. */
const singleLineControls = /[\p{Cc}\u2028\u2029]/u;
const multiLineControls = /[^\P{Cc}\n\t\r]/u;
/** Something a reader can see: not a space, not an invisible format character, not a lone mark. */
const visible = /[^\p{White_Space}\p{Cf}\p{Cc}\p{Mn}\p{Me}]/u;

/**
 * A trimmed string of people's text (names, titles, addresses, template bodies): at least one
 * visible character (a name of only a zero-width space is empty), no control characters (a NUL,
 * an escape sequence; line breaks only where `multiline`: a name with line breaks would turn one
 * feedback line into many), and no lone surrogates. Each check is one linear pass.
 */
export function plainText(max: number, options: { multiline?: boolean } = {}) {
  const controls = options.multiline ? multiLineControls : singleLineControls;
  return z
    .string()
    .trim()
    .max(max)
    .refine((text) => visible.test(text), 'must not be empty')
    .refine((text) => !controls.test(text), options.multiline ? 'must not contain control characters other than line breaks and tabs' : 'must be one line without control characters')
    .refine((text) => !loneSurrogate.test(text), 'must be valid Unicode text (it holds a lone surrogate)');
}
