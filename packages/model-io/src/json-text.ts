import { parse as parseLenient, ParseErrorCode, type ParseError } from 'jsonc-parser';

/** A JSON file's value, or what is wrong with it, said without quoting the file's contents. */
export type JsonParseResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

const WHAT: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'malformed number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: 'expected ":"',
  [ParseErrorCode.CommaExpected]: 'expected ","',
  [ParseErrorCode.CloseBraceExpected]: 'expected "}"',
  [ParseErrorCode.CloseBracketExpected]: 'expected "]"',
  [ParseErrorCode.EndOfFileExpected]: 'unexpected content after the end of the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfComment]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed on its line',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'malformed number',
  [ParseErrorCode.InvalidUnicode]: 'malformed \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape sequence',
  [ParseErrorCode.InvalidCharacter]: 'control character inside a string',
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes the bytes of a JSON file as UTF-8. A UTF-8 byte-order mark is accepted (and dropped: some
 * Windows editors write one); UTF-16/UTF-32 (by their BOM or their NUL bytes) and invalid UTF-8 are
 * named as encoding problems.
 *
 * ```ts
 * const decoded = decodeJsonBytes(await readFile('pipeline.json'));
 * if (!decoded.ok) throw new Error(`pipeline.json: ${decoded.problem}`);
 * ```
 */
export function decodeJsonBytes(bytes: Uint8Array): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string } {
  const [b0, b1] = [bytes[0], bytes[1]];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return { ok: false, problem: 'the file is UTF-16 encoded (it starts with a UTF-16 byte-order mark), not UTF-8; save it as UTF-8' };
  }
  // JSON text starts with ASCII, so UTF-16/32 without a BOM shows NUL bytes among the first few.
  if (bytes.subarray(0, 4).includes(0)) {
    return { ok: false, problem: 'the file holds NUL bytes: it is UTF-16/UTF-32 text or a binary file, not UTF-8 JSON; save it as UTF-8' };
  }
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, problem: 'the file is not valid UTF-8 text; save it as UTF-8' };
  }
}

/**
 * `JSON.parse`, with a syntax error described by its kind, line and column only: V8's own messages
 * quote the text around the error, which would echo whatever file was passed in by mistake.
 * A leading byte-order mark is dropped.
 *
 * ```ts
 * parseJsonText('root:x:0:0'); // { ok: false, problem: 'not JSON: unexpected character at line 1, column 1' }
 * ```
 */
export function parseJsonText(text: string): JsonParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, problem: syntaxProblem(body, (error as Error).message) };
  }
}

/**
 * Decodes (see `decodeJsonBytes`) and parses (see `parseJsonText`) a JSON file's bytes.
 *
 * ```ts
 * const parsed = parseJsonBytes(await readFile('model.json'));
 * ```
 */
export function parseJsonBytes(bytes: Uint8Array): JsonParseResult {
  const decoded = decodeJsonBytes(bytes);
  return decoded.ok ? parseJsonText(decoded.text) : decoded;
}

function syntaxProblem(text: string, v8Message: string): string {
  if (text.trim() === '') return 'the file is empty, not JSON';
  const errors: ParseError[] = [];
  parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  // jsonc-parser accepts a few things JSON.parse does not; V8's position (never its quote) is the fallback.
  const offset = first?.offset ?? Number(/position (\d+)/.exec(v8Message)?.[1] ?? NaN);
  const what = (first === undefined ? undefined : WHAT[first.error]) ?? 'syntax error';
  if (Number.isNaN(offset)) return `not JSON: ${what}`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `not JSON: ${what} at line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
