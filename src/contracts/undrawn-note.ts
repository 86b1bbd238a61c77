/**
 * The feedback note for a contract with characters that could not be drawn, for example
 * " (could not draw 4 characters: 山 田 太 郎; set CONTRACT_FONT_FILES to a font that has them)".
 */
import type { UndrawnCharacters } from './render-job.js';

/** Characters listed in one note; the count says how many there are in all. */
const maxListed = 20;
/**
 * Code points shown of one listed character: a cluster can be a base with hundreds of combining
 * marks, and the note must keep the feedback line within its length limit.
 */
const maxCodePointsShown = 8;

function listed(characters: string[]): string {
  const shown = characters.slice(0, maxListed).map(shortened).join(' ');
  return characters.length > maxListed ? `${shown} … (${characters.length - maxListed} more)` : shown;
}

function shortened(cluster: string): string {
  const codePoints = [...cluster];
  return codePoints.length > maxCodePointsShown ? `${codePoints.slice(0, maxCodePointsShown).join('')}…` : cluster;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The note to append to "Created contract k of n for <name>", or '' when everything was drawn. */
export function undrawnNote(undrawn: UndrawnCharacters | null): string {
  if (undrawn === null) return '';
  const parts: string[] = [];
  if (undrawn.missingGlyphs.length > 0) {
    parts.push(
      `could not draw ${count(undrawn.missingGlyphs.length, 'character')}: ${listed(undrawn.missingGlyphs)}; ` +
        'set CONTRACT_FONT_FILES to a font that has them',
    );
  }
  if (undrawn.unsupportedScript.length > 0) {
    parts.push(
      `could not draw ${count(undrawn.unsupportedScript.length, 'character')} of a right-to-left or complex script, ` +
        `which the PDF renderer cannot lay out: ${listed(undrawn.unsupportedScript)}`,
    );
  }
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}
